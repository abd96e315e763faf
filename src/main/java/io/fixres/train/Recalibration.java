package io.fixres.train;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import io.fixres.core.BatchNormMode;
import io.fixres.core.BatchNormStatistics;
import io.fixres.core.FixResNetwork;
import io.fixres.core.FixResScope;
import io.fixres.core.LastBatchNormMode;
import io.fixres.core.SwitchableBatchNorm;
import io.fixres.data.ImageDataset;
import io.fixres.eval.InferencePass;
import io.fixres.model.CardTransforms;
import io.fixres.model.ModelCard;
import io.fixres.transform.Transform;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Label-free FixRes: re-estimates BatchNorm running statistics at the test resolution K from
 * images whose labels are never read; the classifier is untouched. {@link Layers#LAST} re-estimates
 * the last BatchNorm (the statistics pass of the one-pass step); {@link Layers#ALL} every BatchNorm
 * in one pass, each layer normalising with its batch statistics meanwhile, so each sees the outputs
 * of the layers below as they will be after recalibration (the scheme of
 * {@code torch.optim.swa_utils.update_bn}), but with the exact pooled mean and variance over all
 * images and positions instead of an average of per-batch estimates.
 */
public final class Recalibration {

    /** Which BatchNorms are re-estimated. */
    public enum Layers {
        LAST, ALL;

        @JsonValue
        public String id() { return name().toLowerCase(Locale.ROOT); }

        @Override
        public String toString() { return id(); }
    }

    /** What was recalibrated, on how many images, and the card of the recalibrated weights. */
    public record Result(
            @JsonProperty("test_res") int testResolution,
            @JsonProperty("layers") Layers layers,
            @JsonProperty("images") long images,
            @JsonProperty("batch_norms") int batchNorms,
            @JsonProperty("seconds") double seconds,
            @JsonProperty("card") ModelCard card) {}

    private Recalibration() {}

    /**
     * Recalibrates {@code net} in place at K on {@code images} (labels ignored) with the card's test
     * transform. BatchNorm modes and trainability are restored afterwards.
     */
    public static Result run(FixResNetwork net, NDManager manager, ModelCard card, ImageDataset images, int k,
                             Layers layers, int batchSize, int loaderThreads, TrainingProgress progress) {
        long start = System.nanoTime();
        List<SwitchableBatchNorm> targets = targets(net, layers);
        List<BatchNormStatistics> statistics = statistics(net, manager, card, images, k, layers, batchSize,
                loaderThreads, progress);
        for (int i = 0; i < targets.size(); i++) {
            statistics.get(i).install(targets.get(i));
        }
        return new Result(k, layers, images.size(), targets.size(), (System.nanoTime() - start) / 1e9,
                recalibratedCard(card, k, layers, images.size()));
    }

    /** The BatchNorms {@code layers} re-estimates, in {@link #statistics}'s order. */
    public static List<SwitchableBatchNorm> targets(FixResNetwork net, Layers layers) {
        return layers == Layers.LAST ? List.of(net.lastBatchNorm()) : net.allBatchNorms();
    }

    /**
     * The recalibration pass alone: the exact input statistics of every target BatchNorm
     * ({@link #targets} order) over {@code images} at K, not installed; {@code net} is left as found.
     * A distributed run merges these per partition of the images (whole batches per partition
     * keep {@link Layers#ALL}'s batch statistics the same) and installs the sum.
     */
    public static List<BatchNormStatistics> statistics(FixResNetwork net, NDManager manager, ModelCard card,
                                                       ImageDataset images, int k, Layers layers, int batchSize,
                                                       int loaderThreads, TrainingProgress progress) {
        net.checkResolution(k);
        Transform transform = CardTransforms.test(card, k);
        InferencePass pass = new InferencePass(net.block(), manager, batchSize, loaderThreads);
        List<SwitchableBatchNorm> targets = targets(net, layers);
        List<BatchNormStatistics> statistics = new ArrayList<>();
        List<float[][]> running = new ArrayList<>();
        try (FixResScope scope = FixResScope.inference(net)) {
            for (SwitchableBatchNorm bn : targets) {
                BatchNormStatistics s = new BatchNormStatistics(bn.channels());
                statistics.add(s);
                bn.setInputObserver(s);
                if (layers == Layers.ALL) {
                    running.add(new float[][] {bn.runningMean().getArray().toFloatArray(),
                        bn.runningVar().getArray().toFloatArray()});
                    bn.setMode(BatchNormMode.TRAIN); // downstream layers see batch-normalised inputs, as after recalibration
                }
            }
            progress.passStarted("recalibration pass", images.size());
            try {
                pass.run(images, transform, (logits, batch) -> { }, progress::imagesDone);
            } finally {
                targets.forEach(bn -> bn.setInputObserver(null));
                progress.passDone();
            }
        } // the scope puts the modes back
        for (int i = 0; i < running.size(); i++) { // TRAIN mode also moved the running statistics: put them back
            targets.get(i).runningMean().getArray().set(running.get(i)[0]);
            targets.get(i).runningVar().getArray().set(running.get(i)[1]);
        }
        return statistics;
    }

    /** The card of {@code card}'s weights recalibrated at K from {@code images} images. */
    public static ModelCard recalibratedCard(ModelCard card, int k, Layers layers, long images) {
        return LastBatchNormFineTuner.withFineTuning(card, new ModelCard.FineTuning(k,
                LastBatchNormMode.STATS.id(), LastBatchNormFineTuner.FineTuneAugmentation.TEST.id(), 0, 0, null, null,
                ModelCard.FineTuningMethod.RECALIBRATE, layers.id(), images), k);
    }
}
