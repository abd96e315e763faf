package io.fixres.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The one JSON configuration every fixres file uses (result files, model cards, metrics.jsonl).
 *
 * <p>Output is indented with two spaces and {@code "key": value}; doubles are written without
 * exponent ({@code 0.0001}, not {@code 1.0E-4}; extremes beyond 1e-12 and 1e16 keep it) so hyper-parameters read as typed. Reading ignores
 * unknown properties so files written by a newer fixres still load.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder(
                    JsonFactory.builder().addDecorator((factory, generator) -> new PlainDoubles(generator)).build())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // fixres enums print as their ids ("classifier+bn/test"); map keys are read back the same way
            .enable(DeserializationFeature.READ_ENUMS_USING_TO_STRING)
            .defaultPrettyPrinter(prettyPrinter())
            .build();
    private static final ObjectWriter ONE_LINE = MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    /** The shared mapper, for callers that need trees or type references. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Indented JSON followed by a newline, written atomically (see {@link AtomicFiles}). */
    public static void write(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, toString(value));
    }

    /** Indented JSON followed by a newline. */
    public static String toString(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot write " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static <T> T read(Path file, Class<T> type) throws IOException {
        try {
            return MAPPER.readValue(file.toFile(), type);
        } catch (JsonProcessingException e) {
            throw invalid(file, "", type, e);
        }
    }

    /**
     * Appends {@code value} as one compact JSON line (JSON Lines), creating the file and its
     * directories if needed. One write call per line, so a crash loses at most the line being written.
     */
    public static void appendLine(Path file, Object value) throws IOException {
        byte[] line;
        try {
            line = (ONE_LINE.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot write " + value.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Reads a JSON Lines file written by {@link #appendLine}; blank lines are skipped. */
    public static <T> List<T> readLines(Path file, Class<T> type) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<T> values = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                values.add(MAPPER.readValue(lines.get(i), type));
            } catch (JsonProcessingException e) {
                throw invalid(file, " line " + (i + 1), type, e);
            }
        }
        return values;
    }

    private static IOException invalid(Path file, String where, Class<?> type, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String position = at == null ? "" : " (at line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return new IOException(file + where + ": expected JSON for " + type.getSimpleName() + ": "
                + e.getOriginalMessage() + position, e);
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        return new DefaultPrettyPrinter(separators).withObjectIndenter(indenter).withArrayIndenter(indenter);
    }

    /** Outside this range positional notation would be longer than it is readable. */
    private static boolean isPlainRange(double value) {
        double magnitude = Math.abs(value);
        return magnitude == 0 || (magnitude >= 1e-12 && magnitude < 1e16);
    }

    /**
     * Writes finite doubles and floats in positional notation. At the generator level so that
     * {@code double[]}, boxed values and tree nodes all get it.
     */
    private static final class PlainDoubles extends JsonGeneratorDelegate {
        PlainDoubles(JsonGenerator delegate) { super(delegate, false); }

        /** The shortest round-tripping digits, never an exponent, always a decimal point (83.0 stays a double). */
        private static String plain(BigDecimal shortest) {
            String digits = shortest.stripTrailingZeros().toPlainString();
            return digits.indexOf('.') >= 0 ? digits : digits + ".0";
        }

        // The delegate would write a double[] itself, past writeNumber(double).
        @Override
        public void writeArray(double[] array, int offset, int length) throws IOException {
            writeStartArray(array, length);
            for (int i = offset; i < offset + length; i++) {
                writeNumber(array[i]);
            }
            writeEndArray();
        }

        @Override
        public void writeNumber(double value) throws IOException {
            if (isPlainRange(value)) {
                delegate.writeNumber(plain(BigDecimal.valueOf(value)));
            } else {
                delegate.writeNumber(value);
            }
        }

        @Override
        public void writeNumber(float value) throws IOException {
            if (isPlainRange(value)) {
                delegate.writeNumber(plain(new BigDecimal(Float.toString(value))));
            } else {
                delegate.writeNumber(value);
            }
        }
    }
}
