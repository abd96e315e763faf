package io.fixres.study;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.data.DataSplits;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Measured cells of a study (grid, ablation) by key, so that an interrupted or repeated study
 * skips what it already knows. A key names everything the measurement depends on (data, model
 * run, test resolution, fine-tuning recipe), so a changed setting is a new key, never a stale hit.
 */
public interface ResultCache {
    /** Remembers nothing. */
    ResultCache NONE = new ResultCache() {
        @Override public Optional<ResolutionAccuracy> get(String key) { return Optional.empty(); }
        @Override public void put(String key, ResolutionAccuracy result) { }
    };

    Optional<ResolutionAccuracy> get(String key);

    void put(String key, ResolutionAccuracy result);

    /** The cached result for {@code key}, else {@code measure}'s, which is then stored. */
    default ResolutionAccuracy computeIfAbsent(String key, Supplier<ResolutionAccuracy> measure) {
        Optional<ResolutionAccuracy> known = get(key);
        if (known.isPresent()) {
            return known.get();
        }
        ResolutionAccuracy measured = measure.get();
        put(key, measured);
        return measured;
    }

    /** A cache in memory only. */
    static ResultCache inMemory() {
        Map<String, ResolutionAccuracy> cells = new LinkedHashMap<>();
        return new ResultCache() {
            @Override public Optional<ResolutionAccuracy> get(String key) { return Optional.ofNullable(cells.get(key)); }
            @Override public void put(String key, ResolutionAccuracy result) { cells.put(key, result); }
        };
    }

    /**
     * A cache kept in a JSON Lines file, one {@code {"key": ..., "result": {...}}} per line: read
     * when opened, each new cell appended at once (a crash loses at most the cell being measured).
     */
    static ResultCache jsonLines(Path file) throws IOException {
        Map<String, ResolutionAccuracy> cells = new LinkedHashMap<>();
        if (Files.exists(file)) {
            for (Line line : Json.readLines(file, Line.class)) {
                cells.put(line.key(), line.result());
            }
        }
        return new ResultCache() {
            @Override public Optional<ResolutionAccuracy> get(String key) { return Optional.ofNullable(cells.get(key)); }

            @Override public void put(String key, ResolutionAccuracy result) {
                try {
                    Json.appendLine(file, new Line(key, result));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot append to the result cache " + file, e);
                }
                cells.put(key, result);
            }
        };
    }

    /** One line of a {@link #jsonLines} cache. */
    record Line(@JsonProperty("key") String key, @JsonProperty("result") ResolutionAccuracy result) {}

    /** Identifies the images a measurement used: dataset name, and each split's source and size. */
    static String dataKey(DataSplits data) {
        return data.name() + " train=" + data.train().source() + " (" + data.train().size() + ") test="
                + data.test().source() + " (" + data.test().size() + ")";
    }
}
