package io.fixres.study;

import com.fasterxml.jackson.annotation.JsonProperty;
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
 * Measured cells of a study (grid, ablation) by {@link CellKey}, so that an interrupted or
 * repeated study skips what it already knows. A key names everything the measurement depends on
 * (data, model run, test resolution, fine-tuning recipe), so a changed setting is a new key, never
 * a stale hit.
 */
public interface ResultCache {
    /** Remembers nothing. */
    ResultCache NONE = new ResultCache() {
        @Override public Optional<ResolutionAccuracy> get(CellKey key) { return Optional.empty(); }
        @Override public void put(CellKey key, ResolutionAccuracy result) { }
    };

    Optional<ResolutionAccuracy> get(CellKey key);

    void put(CellKey key, ResolutionAccuracy result);

    /** The cached result for {@code key}, else {@code measure}'s, which is then stored. */
    default ResolutionAccuracy computeIfAbsent(CellKey key, Supplier<ResolutionAccuracy> measure) {
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
            @Override public Optional<ResolutionAccuracy> get(CellKey key) { return Optional.ofNullable(cells.get(key.hash())); }
            @Override public void put(CellKey key, ResolutionAccuracy result) { cells.put(key.hash(), result); }
        };
    }

    /**
     * A cache kept in a JSON Lines file, one {@code {"key": hash, "cell": {...}, "result": {...}}} per line: read
     * when opened, each new cell appended at once (a crash loses at most the cell being measured).
     */
    static ResultCache jsonLines(Path file) throws IOException {
        Map<String, ResolutionAccuracy> cells = new LinkedHashMap<>();
        if (Files.exists(file)) {
            for (Line line : Json.readLines(file, Line.class)) {
                cells.put(line.hash(), line.result());
            }
        }
        return new ResultCache() {
            @Override public Optional<ResolutionAccuracy> get(CellKey key) { return Optional.ofNullable(cells.get(key.hash())); }

            @Override public void put(CellKey key, ResolutionAccuracy result) {
                try {
                    Json.appendLine(file, new Line(key.hash(), key, result));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot append to the result cache " + file, e);
                }
                cells.put(key.hash(), result);
            }
        };
    }

    /** One line of a {@link #jsonLines} cache: the key's hash, the key itself (for people), the result. */
    record Line(@JsonProperty("key") String hash, @JsonProperty("cell") CellKey cell,
                @JsonProperty("result") ResolutionAccuracy result) {}
}
