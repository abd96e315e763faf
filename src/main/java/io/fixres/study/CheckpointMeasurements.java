package io.fixres.study;

import io.fixres.train.FixResMethod;
import io.fixres.train.LastBatchNormFineTuner;
import io.fixres.train.LastBlockEvaluation;
import io.fixres.train.OnePassFineTuner;
import io.fixres.train.TrainingProgress;

import ai.djl.Model;
import io.fixres.data.DataSplits;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.eval.ResolutionEvaluation;
import io.fixres.model.Checkpoint;
import java.io.IOException;
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

    /** One fine-tuned cell a study asks for at K: its key, the method and its settings, and how progress names it. */
    record Tuning(CellKey key, FixResMethod method, LastBatchNormFineTuner.Request request, String label) {}

    /** Announces each step of {@link #atResolution} (a description, and whether the cache answers it). */
    @FunctionalInterface
    interface Steps {
        void started(String description, boolean cached);
    }

    /**
     * The untouched accuracy at K and each tuning's, through {@code cache}: one evaluation pass at K
     * on {@code data.test()} that keeps the last block's activations ({@link LastBlockEvaluation}),
     * then each fine-tuning on a fresh load of the checkpoint, on {@code fineTuneData.train()},
     * measured from those activations. A method that changes more than the last BatchNorm and the
     * classifier, activations that did not fit in memory, or a fine-tuning measured on other test
     * images than {@code data}'s get their own evaluation pass.
     *
     * @param name how progress names the checkpoint
     * @return every cell asked for, by key: {@code untouched} and each tuning's
     */
    static Map<CellKey, ResolutionAccuracy> atResolution(Path checkpoint, String name, DataSplits data,
                                                         DataSplits fineTuneData, int k,
                                                         CellKey untouched, List<Tuning> tunings, int batchSize,
                                                         int threads, ResultCache cache, TrainingProgress progress,
                                                         Steps steps) throws IOException {
        Map<CellKey, ResolutionAccuracy> out = new LinkedHashMap<>();
        cache.get(untouched).ifPresent(r -> out.put(untouched, r));
        List<Tuning> missing = tunings.stream().filter(t -> cache.get(t.key()).isEmpty()).toList();
        boolean sameTest = CellKey.describeTest(data).equals(CellKey.describeTest(fineTuneData));
        boolean keep = sameTest && missing.stream().anyMatch(t -> t.method().changesOnlyLastBatchNormAndClassifier());
        LastBlockEvaluation kept = null;
        steps.started("evaluate " + name + " at " + k + " px"
                + (keep ? " (its last block kept for the fine-tunings)" : ""), out.containsKey(untouched) && !keep);
        if (!out.containsKey(untouched) || keep) {
            try (Model model = Model.newInstance("fixres")) {
                Checkpoint.LoadedModel loaded = Checkpoint.load(checkpoint, model.getNDManager());
                kept = LastBlockEvaluation.measure(loaded.net(), model.getNDManager(), loaded.card(), data.test(), k,
                        batchSize, threads, keep ? OnePassFineTuner.Options.defaults().memoryBudgetBytes() : 0, progress);
            }
            if (!out.containsKey(untouched)) {
                cache.put(untouched, kept.untouched());
                out.put(untouched, kept.untouched());
            }
        }
        for (Tuning t : tunings) {
            cache.get(t.key()).ifPresent(r -> out.put(t.key(), r));
            if (out.containsKey(t.key())) {
                steps.started(t.label(), true);
                continue;
            }
            LastBlockEvaluation activations = kept != null && kept.complete()
                    && t.method().changesOnlyLastBatchNormAndClassifier() ? kept : null;
            // a later tuning this one passes through on the way (the one-pass fine-tuning's statistics pass is the
            // recalibration of the last BatchNorm) is measured on the way, off the same kept activations
            Tuning onTheWay = activations == null ? null : tunings.stream()
                    .filter(other -> missing.contains(other) && !out.containsKey(other.key())
                            && t.method().passesThrough(t.request(), other.method(), other.request()))
                    .findFirst().orElse(null);
            steps.started(t.label() + (onTheWay == null ? "" : " (its pass also gives " + onTheWay.method() + ")"), false);
            ResolutionAccuracy measured;
            try (Model model = Model.newInstance("fixres")) {
                Checkpoint.LoadedModel loaded = Checkpoint.load(checkpoint, model.getNDManager());
                t.method().adapt(loaded.net(), model.getNDManager(), loaded.card(), fineTuneData.train(), t.request(),
                        progress, passedThrough -> {
                            if (onTheWay != null) {
                                ResolutionAccuracy onTheWayAccuracy = activations.after(passedThrough);
                                cache.put(onTheWay.key(), onTheWayAccuracy);
                                out.put(onTheWay.key(), onTheWayAccuracy);
                            }
                        });
                if (activations != null) {
                    measured = activations.after(loaded.net());
                } else {
                    ResolutionEvaluation evaluation = new ResolutionEvaluation(loaded.net(), loaded.card(),
                            model.getNDManager(), batchSize, threads);
                    measured = progress.pass("evaluate at " + k + " px after " + t.method(), fineTuneData.test().size(),
                            done -> evaluation.at(fineTuneData.test(), k, loaded.card().getTestCropRatio(), done));
                }
            }
            cache.put(t.key(), measured);
            out.put(t.key(), measured);
        }
        return out;
    }
}
