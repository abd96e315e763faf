package io.fixres.study;

import io.fixres.train.FixResMethod;
import io.fixres.train.LastBatchNormFineTuner;
import io.fixres.train.TrainingProgress;

import ai.djl.Model;
import io.fixres.data.DataSplits;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.eval.ResolutionEvaluation;
import io.fixres.model.Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/** The cells of a study: a saved checkpoint's accuracy without and with fine-tuning, each from a fresh load. */
final class CheckpointMeasurements {
    private CheckpointMeasurements() {}

    /**
     * @param keyOf the cache key of the cell at each test resolution
     * @return the accuracy at every resolution of {@code testResolutions}, in their order
     */
    /** Accuracy without fine-tuning at many test resolutions, through {@code cache} (one load for all misses). */
    static Map<Integer, ResolutionAccuracy> withoutFineTuning(Path dir, DataSplits data, List<Integer> testResolutions,
                                                          int batchSize, int threads, ResultCache cache,
                                                          IntFunction<CellKey> keyOf, TrainingProgress progress)
            throws IOException {
        Map<Integer, ResolutionAccuracy> found = new LinkedHashMap<>();
        testResolutions.forEach(k -> cache.get(keyOf.apply(k)).ifPresent(r -> found.put(k, r)));
        List<Integer> missing = testResolutions.stream().filter(k -> !found.containsKey(k)).toList();
        if (!missing.isEmpty()) {
            try (Model model = Model.newInstance("fixres")) {
                Checkpoint.LoadedModel loaded = Checkpoint.load(dir, model.getNDManager());
                ResolutionEvaluation evaluation = new ResolutionEvaluation(loaded.net(), loaded.card(),
                        model.getNDManager(), batchSize, threads);
                for (int k : missing) {
                    ResolutionAccuracy measured = progress.pass("evaluate " + dir.getFileName() + " at " + k + " px",
                            data.test().size(), done -> evaluation.at(data.test(), k, loaded.card().getTestCropRatio(), done));
                    cache.put(keyOf.apply(k), measured);
                    found.put(k, measured);
                }
            }
        }
        Map<Integer, ResolutionAccuracy> out = new LinkedHashMap<>();
        testResolutions.forEach(k -> out.put(k, found.get(k)));
        return out;
    }

    /** Accuracy at K after {@code method} on a fresh load of {@code checkpoint}; {@code before} is its accuracy at K untouched. */
    static ResolutionAccuracy afterFineTuning(Path checkpoint, DataSplits data, FixResMethod method,
                                              LastBatchNormFineTuner.Request request, TrainingProgress progress,
                                              ResolutionAccuracy before) {
        try (Model model = Model.newInstance("fixres")) {
            Checkpoint.LoadedModel loaded = Checkpoint.load(checkpoint, model.getNDManager());
            return method.apply(loaded.net(), model.getNDManager(), loaded.card(), data, request, progress, before);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
