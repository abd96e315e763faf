package io.fixres.study;

import io.fixres.train.LastBlockEvaluation;

import io.fixres.eval.ResolutionAccuracy;

import com.fasterxml.jackson.annotation.JsonValue;
import io.fixres.core.LastBatchNormMode;
import io.fixres.data.DataSplits;
import io.fixres.train.FixResMethod;
import io.fixres.train.LastBatchNormFineTuner;
import io.fixres.train.TrainingProgress;
import ai.djl.Model;
import io.fixres.core.ActivationHook;
import io.fixres.model.Checkpoint;
import io.fixres.model.ModelCard;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * The fine-tuning rows of supplement Table 4, a seam so that tests can watch the calls: fine-tune a fresh copy of the model at one test resolution
 * with {@code hook} installed (identity, or an adaptation kept in place while the classifier
 * learns) and return its accuracy on the test images at that resolution, hook still installed.
 * {@code before} is the accuracy of the same network and hook without fine-tuning when the study
 * has already measured it ({@code null} otherwise), so that it need not be measured again.
 */
@FunctionalInterface
public interface ClassifierFineTuning {

    /** What Table 4's "Fine-tuning" columns tick. */
    enum Scope {
        /** fc only, every BatchNorm frozen in inference mode. */
        CLASSIFIER("classifier", "classifier"),
        /** fc and the last BatchNorm (the FixRes step). */
        CLASSIFIER_AND_BATCH_NORM("classifier+bn", "classifier + BN"),
        /** Label-free: the last BatchNorm's statistics re-estimated, the classifier untouched. */
        RECALIBRATE_LAST("recalibrate-last", "recalibration of the last BN (no labels)"),
        /** Label-free: every BatchNorm's statistics re-estimated, the classifier untouched. */
        RECALIBRATE_ALL("recalibrate-all", "recalibration of every BN (no labels)");

        private final String id;
        private final String label;

        Scope(String id, String label) {
            this.id = id;
            this.label = label;
        }

        /** The name in JSON results. */
        @JsonValue
        public String id() { return id; }

        /** The name in tables. */
        public String label() { return label; }
    }

    ResolutionAccuracy fineTune(int testResolution, Scope scope, ActivationHook hook, ResolutionAccuracy before)
            throws Exception;

    /**
     * As {@link #fineTune(int, Scope, ActivationHook, ResolutionAccuracy)}, and when {@code kept} (the
     * untouched network's evaluation at K, its last block kept; may be null) can answer, the accuracy
     * after the fine-tuning is read from it instead of another pass over the test images. The
     * default ignores it.
     */
    default ResolutionAccuracy fineTune(int testResolution, Scope scope, ActivationHook hook, ResolutionAccuracy before,
                                        LastBlockEvaluation kept) throws Exception {
        return fineTune(testResolution, scope, hook, before);
    }

    /**
     * Supplement Table 4's fine-tuning rows on fresh copies of the checkpoint in {@code dir}: the
     * classifier-only row uses BN mode none, the "classifier + BN" row {@code recipe.bn()}; the
     * caller's activation hook stays installed while the classifier learns and when it is evaluated.
     */
    public static ClassifierFineTuning freshCopies(Path dir, DataSplits data, LastBatchNormFineTuner.Recipe recipe,
                                                   Function<String, TrainingProgress> progress) {
        return freshCopies(dir, data, recipe, progress, ResultCache.NONE);
    }

    /**
     * As {@link #freshCopies(Path, DataSplits, LastBatchNormFineTuner.Recipe, Function)}, and a row
     * without an adaptation is read from (or written to) {@code cells} under the key the ablation
     * gives the same fine-tuning of the same checkpoint ({@link CellKey}): in {@code reproduce},
     * Table 4's fine-tuned and recalibrated columns are the ablation's cells, measured once.
     */
    public static ClassifierFineTuning freshCopies(Path dir, DataSplits data, LastBatchNormFineTuner.Recipe recipe,
                                                   Function<String, TrainingProgress> progress, ResultCache cells) {
        if (recipe.bn() == LastBatchNormMode.NONE) {
            throw new IllegalArgumentException("BN mode none would make the \"FT classifier + BN\" row the classifier-only "
                    + "one: use stats or affine");
        }
        return new ClassifierFineTuning() {
            @Override
            public ResolutionAccuracy fineTune(int k, Scope scope, ActivationHook hook, ResolutionAccuracy before)
                    throws Exception {
                return fineTune(k, scope, hook, before, null);
            }

            @Override
            public ResolutionAccuracy fineTune(int k, Scope scope, ActivationHook hook, ResolutionAccuracy before,
                                               LastBlockEvaluation kept) throws Exception {
                LastBatchNormMode mode = scope == Scope.CLASSIFIER ? LastBatchNormMode.NONE : recipe.bn();
                FixResMethod method = switch (scope) {
                    case CLASSIFIER, CLASSIFIER_AND_BATCH_NORM -> FixResMethod.SGD;
                    case RECALIBRATE_LAST -> FixResMethod.RECALIBRATE_LAST;
                    case RECALIBRATE_ALL -> FixResMethod.RECALIBRATE_ALL;
                };
                LastBatchNormFineTuner.Request request = recipe.with(mode, recipe.augmentation()).at(k);
                Callable<ResolutionAccuracy> measure = () -> {
                    try (Model model = Model.newInstance("fixres")) {
                        Checkpoint.LoadedModel loaded = Checkpoint.load(dir, model.getNDManager());
                        loaded.net().setActivationHook(hook);
                        TrainingProgress shown = progress.apply("FT " + scope.label() + " " + k + " px");
                        if (kept != null && kept.complete() && kept.images() == data.test()
                                && method.changesOnlyLastBatchNormAndClassifier()) {
                            method.adapt(loaded.net(), model.getNDManager(), loaded.card(), data.train(), request, shown);
                            return kept.after(loaded.net(), model.getNDManager());
                        }
                        return method.apply(loaded.net(), model.getNDManager(), loaded.card(), data, request, shown, before);
                    }
                };
                if (hook != ActivationHook.IDENTITY) {
                    return measure.call(); // an adapted network is not a cell of any other study
                }
                ModelCard card = ModelCard.read(dir.resolve(Checkpoint.CARD_FILE));
                CellKey key = CellKey.noFineTuning(data, dir, card, k).fineTuned(method, request, data);
                Optional<ResolutionAccuracy> known = cells.get(key);
                if (known.isPresent()) {
                    return known.get();
                }
                ResolutionAccuracy measured = measure.call();
                cells.put(key, measured);
                return measured;
            }
        };
    }
}
