package io.fixres.train;

import ai.djl.Model;
import io.fixres.data.DataSplits;
import io.fixres.model.Checkpoint;
import io.fixres.model.ModelCard;
import io.fixres.io.AtomicFiles;
import io.fixres.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.Consumer;

/**
 * A from-scratch training run written to a directory: {@code model.params}, {@code model.json}
 * and {@code metrics.jsonl} (one line per epoch). The card is written after the weights and the
 * metrics file is moved into place last, so a directory with a card holds a complete run that
 * later commands (grid, ablation) may reuse instead of training again.
 */
public final class RunDirectory {
    public static final String METRICS_FILE = "metrics.jsonl";
    private static final String PARTIAL_METRICS_FILE = METRICS_FILE + ".partial";

    /** What the run produced: the card (weights are on disk) and the per-epoch metrics. */
    public record Trained(Path dir, ModelCard card, List<EpochMetrics> history) {}

    private RunDirectory() {}

    /** True when {@code dir} holds a finished run (its card exists: it is written after the weights). */
    public static boolean isComplete(Path dir) {
        return Files.isRegularFile(dir.resolve(Checkpoint.CARD_FILE)) && Files.isRegularFile(dir.resolve(Checkpoint.PARAMS_FILE));
    }

    /** Fails early (before loading data) when {@code dir} holds a checkpoint that must not be overwritten. */
    public static void checkWritable(Path dir, boolean overwrite) {
        AtomicFiles.requireWritableDirectory(dir);
        if (Files.exists(dir.resolve(Checkpoint.CARD_FILE)) && !overwrite) {
            throw new IllegalArgumentException(dir + " already holds a checkpoint; use --force to overwrite it");
        }
    }

    /**
     * Trains as {@code request} says and writes the run to {@code dir}, appending each epoch's
     * metrics to {@code metrics.jsonl} as soon as it exists; {@code onEpoch} sees them too.
     *
     * @throws IllegalArgumentException if {@code dir} already holds a checkpoint and {@code overwrite} is false
     */
    public static Trained train(Path dir, FromScratchTraining.Request request, DataSplits data, boolean overwrite,
                                TrainingProgress progress, Consumer<EpochMetrics> onEpoch) throws IOException {
        checkWritable(dir, overwrite);
        Files.createDirectories(dir);
        Path partial = dir.resolve(PARTIAL_METRICS_FILE);
        Files.deleteIfExists(partial);
        try (Model model = Model.newInstance("fixres")) {
            FromScratchTraining.Result result = FromScratchTraining.run(model.getNDManager(), request, data, progress, metrics -> {
                try {
                    Json.appendLine(partial, metrics);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                onEpoch.accept(metrics);
            });
            Checkpoint.save(dir, result.net(), result.card());
            Files.move(partial, dir.resolve(METRICS_FILE), StandardCopyOption.REPLACE_EXISTING);
            return new Trained(dir, result.card(), result.history());
        } finally {
            Files.deleteIfExists(partial);
        }
    }
}
