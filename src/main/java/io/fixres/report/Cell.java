package io.fixres.report;

import java.util.IllegalFormatException;
import java.util.Locale;

/**
 * One table cell: text, or a number with its display format. Numbers keep their value so the best
 * one can be found and so renderers can right-align them; they are always formatted with
 * {@link Locale#ROOT} (a decimal point, whatever the machine's locale).
 */
public final class Cell {
    private static final Cell EMPTY = new Cell("", Double.NaN, null, false);

    private final String text;
    private final double value;
    private final String format;
    private final boolean best;

    private Cell(String text, double value, String format, boolean best) {
        this.text = text;
        this.value = value;
        this.format = format;
        this.best = best;
    }

    public static Cell text(String text) {
        return new Cell(text == null ? "" : text, Double.NaN, null, false);
    }

    /** A number shown with a {@link String#format} pattern, e.g. {@code "%.1f"} for top-1 accuracies. */
    public static Cell number(double value, String format) {
        checkFormat(format);
        return new Cell(null, value, format, false);
    }

    public static Cell empty() {
        return EMPTY;
    }

    static void checkFormat(String format) {
        try {
            String.format(Locale.ROOT, format, 0.0);
        } catch (IllegalFormatException | NullPointerException e) {
            throw new IllegalArgumentException(
                    "number format must be a String.format pattern for one double, like \"%.1f\", got: " + format, e);
        }
    }

    public boolean isNumber() {
        return format != null;
    }

    /** The numeric value; NaN for text cells. */
    public double value() {
        return value;
    }

    public boolean isBest() {
        return best;
    }

    Cell withBest(boolean best) {
        return best == this.best ? this : new Cell(text, value, format, best);
    }

    /** The cell as shown, without any best marking. */
    public String display() {
        return isNumber() ? String.format(Locale.ROOT, format, value) : text;
    }

    @Override
    public String toString() {
        return best ? display() + "*" : display();
    }
}
