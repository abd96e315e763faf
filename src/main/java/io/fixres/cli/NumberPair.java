package io.fixres.cli;

import picocli.CommandLine;

/** A {@code MIN,MAX} option value such as {@code 0.08,1} or {@code 3/4,4/3} (decimals or fractions). */
public record NumberPair(double min, double max) {

    /** picocli converter for options of this type. */
    public static final class Converter implements CommandLine.ITypeConverter<NumberPair> {
        @Override
        public NumberPair convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    public static NumberPair parse(String value) {
        String[] parts = value.split(",");
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected MIN,MAX like 0.08,1 or 3/4,4/3, got '" + value + "'");
        }
        double min = number(parts[0].trim(), value);
        double max = number(parts[1].trim(), value);
        if (!(min <= max)) {
            throw new IllegalArgumentException("expected MIN <= MAX in '" + value + "'");
        }
        return new NumberPair(min, max);
    }

    private static double number(String text, String value) {
        try {
            int slash = text.indexOf('/');
            double v = slash < 0 ? Double.parseDouble(text)
                    : Double.parseDouble(text.substring(0, slash)) / Double.parseDouble(text.substring(slash + 1));
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cannot read '" + text + "' in '" + value
                    + "': expected a decimal (0.08) or a fraction (3/4)");
        }
    }
}
