package io.fixres.reproduce;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fixres.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Caches the results of a study's stages under {@code runs/} so an interrupted run resumes: a
 * stage's JSON file is written atomically when the stage completes, and a later run reads it
 * instead of recomputing. Checkpoint stages use their own {@code model.json} as the marker
 * (Checkpoint writes it last).
 */
public final class StageCache {
    private final Path root;
    private int hits;

    /** @param fresh delete everything cached so far and start over */
    public StageCache(Path root, boolean fresh) throws IOException {
        this.root = root;
        if (fresh && Files.exists(root)) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(root);
    }

    public Path root() { return root; }

    /** How many stages were answered from the cache so far. */
    public int hits() { return hits; }

    /** A directory for a stage that writes files of its own (a checkpoint). */
    public Path dir(String stage) throws IOException {
        return Files.createDirectories(root.resolve(stage));
    }

    public boolean isComplete(String stage) {
        return Files.isRegularFile(file(stage));
    }

    /** The cached value of {@code stage}, computing and storing it when absent. */
    public <T> T json(String stage, TypeReference<T> type, StageComputation<T> compute) {
        Path file = file(stage);
        try {
            if (Files.isRegularFile(file)) {
                hits++;
                return Json.mapper().readValue(Files.readAllBytes(file), type);
            }
            T value = compute.compute();
            Json.write(file, value);
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("stage " + stage + " (" + file + "): " + e.getMessage(), e);
        }
    }

    /** Marks that a stage answered from files it owns (e.g. an existing checkpoint). */
    void countHit() { hits++; }

    private Path file(String stage) {
        return root.resolve(stage + ".json");
    }

    /** A stage's work. */
    @FunctionalInterface
    public interface StageComputation<T> {
        T compute() throws IOException;
    }
}
