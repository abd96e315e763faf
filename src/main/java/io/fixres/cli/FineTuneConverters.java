package io.fixres.cli;

import io.fixres.train.LastBatchNormFineTuner.BnMode;
import io.fixres.train.LastBatchNormFineTuner.FineTuneAugmentation;
import java.util.Arrays;
import java.util.Iterator;
import java.util.function.Function;
import picocli.CommandLine;

/** picocli converters for --bn and --da: an unknown value is a usage error (exit 2) naming the flag. */
final class FineTuneConverters {
    private FineTuneConverters() {}

    private static <T> T convert(String value, Function<String, T> parse, String expected) {
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("expected " + expected + ", got '" + value + "'");
        }
    }

    static final class Bn implements CommandLine.ITypeConverter<BnMode> {
        @Override
        public BnMode convert(String value) {
            return FineTuneConverters.convert(value, BnMode::parse, "none, stats or affine");
        }
    }

    static final class Da implements CommandLine.ITypeConverter<FineTuneAugmentation> {
        @Override
        public FineTuneAugmentation convert(String value) {
            return FineTuneConverters.convert(value, FineTuneAugmentation::parse, "train, test or test2");
        }
    }

    /** --bn ids for --help. */
    static final class BnIds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() { return Arrays.stream(BnMode.values()).map(BnMode::id).iterator(); }
    }

    /** --da ids for --help. */
    static final class DaIds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(FineTuneAugmentation.values()).map(FineTuneAugmentation::id).iterator();
        }
    }
}
