package io.fixres.train;

import ai.djl.Model;
import com.fasterxml.jackson.annotation.JsonProperty;
import ai.djl.nn.Parameter;
import io.fixres.data.Batch;
import io.fixres.model.BatchNorm2d;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Why the FixRes step is cheap (paper Table 7): with the trunk frozen and its BatchNorms in
 * inference mode nothing before the last BatchNorm requires a gradient, so the backward pass
 * stops at the classifier. Times optimizer steps of the fine-tuning setup and of full training
 * on the same network, resolution and batch size.
 *
 * <p>The measurement runs on a fresh network built from the card (random weights: the cost does
 * not depend on the values), in its own DJL model, on one synthetic batch, so the model being
 * fine-tuned is untouched and image decoding is left out.
 */
public final class FineTuningCost {

    /** Mean and standard deviation of the wall-clock time of one optimizer step, in milliseconds. */
    public record StepTime(
            @JsonProperty("mean_ms") double meanMillis,
            @JsonProperty("std_ms") double stdMillis,
            @JsonProperty("steps") int steps) {}

    /** Fine-tuning vs full-training step time at one resolution and batch size. */
    public record Comparison(
            @JsonProperty("resolution") int resolution,
            @JsonProperty("batch_size") int batchSize,
            @JsonProperty("bn") LastBatchNormFineTuner.BnMode bn,
            @JsonProperty("fine_tuning") StepTime fineTuning,
            @JsonProperty("full_training") StepTime fullTraining) {
        /** How many fine-tuning steps cost one training step. */
        public double speedup() { return fullTraining.meanMillis() / fineTuning.meanMillis(); }

        public String describe() {
            return String.format(Locale.ROOT,
                    "step time at %d px, batch %d: fine-tuning (bn %s) %.1f ± %.1f ms, full training %.1f ± %.1f ms (x%.1f cheaper)",
                    resolution, batchSize, bn.id(), fineTuning.meanMillis(), fineTuning.stdMillis(),
                    fullTraining.meanMillis(), fullTraining.stdMillis(), speedup());
        }
    }

    private static final int WARM_UP_STEPS = 2;

    private FineTuningCost() {}

    /**
     * Times {@code steps} optimizer steps of each setup after a short warm-up.
     *
     * @param card describes the network (architecture, classes, channels, width)
     */
    public static Comparison measure(ModelCard card, int resolution, int batchSize, LastBatchNormFineTuner.BnMode bn,
                                     int steps, long seed) {
        if (steps < 2) {
            throw new IllegalArgumentException("timing needs at least 2 steps, got " + steps);
        }
        ResNet net = card.networkBuilder().build();
        net.checkResolution(resolution);
        Batch batch = syntheticBatch(net, resolution, batchSize, seed);
        SgdConfig sgd = new SgdConfig(1, batchSize, 1e-3f, 0.9f, 1e-4f, LearningRateSchedule.CONSTANT, seed, 1);
        try (Model model = Model.newInstance("fixres-timing")) {
            net.initialize(model.getNDManager(), resolution);
            model.setBlock(net);
            StepTime fineTuning;
            try (LastBatchNormFineTuner.Setup ignored = LastBatchNormFineTuner.Setup.apply(net, bn);
                 SgdRun run = new SgdRun(model, sgd, batchSize)) {
                LastBatchNormFineTuner.Setup.freeze(net, bn);
                fineTuning = time(run, batch, steps);
            }
            // Full training: every weight, bias, gamma and beta trainable (running statistics never), BN following the flag.
            net.setAllBatchNormModes(BatchNorm2d.Mode.FOLLOW);
            net.freezeParameters(false, p -> p.getType() != Parameter.Type.RUNNING_MEAN
                    && p.getType() != Parameter.Type.RUNNING_VAR);
            StepTime fullTraining;
            try (SgdRun run = new SgdRun(model, sgd, batchSize)) {
                fullTraining = time(run, batch, steps);
            }
            return new Comparison(resolution, batchSize, bn, fineTuning, fullTraining);
        }
    }

    private static StepTime time(SgdRun run, Batch batch, int steps) {
        for (int i = 0; i < WARM_UP_STEPS; i++) {
            run.step(batch);
        }
        double[] millis = new double[steps];
        for (int i = 0; i < steps; i++) {
            long start = System.nanoTime();
            run.step(batch); // reads the loss: the step has finished when it returns
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        double mean = 0;
        for (double m : millis) {
            mean += m;
        }
        mean /= steps;
        double squares = 0;
        for (double m : millis) {
            squares += (m - mean) * (m - mean);
        }
        return new StepTime(mean, Math.sqrt(squares / (steps - 1)), steps);
    }

    private static Batch syntheticBatch(ResNet net, int resolution, int batchSize, long seed) {
        int channels = net.inputChannels();
        float[] pixels = new float[batchSize * channels * resolution * resolution];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        int[] labels = new int[batchSize];
        int[] indices = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            labels[i] = i % net.numClasses();
            indices[i] = i;
        }
        return new Batch(pixels, labels, batchSize, channels, resolution, resolution, indices);
    }
}
