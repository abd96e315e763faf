package io.fixres.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.core.LastBatchNormMode;
import io.fixres.core.StepTimer;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import java.util.Locale;

/**
 * Why the FixRes step is cheap (paper Table 7): with the trunk frozen and its BatchNorms in
 * inference mode nothing before the last BatchNorm requires a gradient, so the backward pass
 * stops at the classifier. Times whole optimizer steps (forward, backward, update) of the
 * fine-tuning and of full training with the one {@link StepTimer}, on a fresh network built from
 * the card (random weights: the cost does not depend on the values), so the model being
 * fine-tuned is untouched.
 */
public final class FineTuningCost {

    /** Fine-tuning vs full-training step time at one resolution and batch size. */
    public record Comparison(
            @JsonProperty("resolution") int resolution,
            @JsonProperty("batch_size") int batchSize,
            @JsonProperty("bn") LastBatchNormMode bn,
            @JsonProperty("fine_tuning") StepTimer.StepTime fineTuning,
            @JsonProperty("full_training") StepTimer.StepTime fullTraining) {

        /** How many fine-tuning steps cost one training step. */
        @JsonProperty("speedup")
        public double speedup() { return fullTraining.meanStepWithUpdateMillis() / fineTuning.meanStepWithUpdateMillis(); }

        public String describe() {
            return String.format(Locale.ROOT,
                    "step time at %d px, batch %d: fine-tuning (bn %s) %.1f ms, full training %.1f ms (x%.1f cheaper)",
                    resolution, batchSize, bn.id(), fineTuning.meanStepWithUpdateMillis(),
                    fullTraining.meanStepWithUpdateMillis(), speedup());
        }
    }

    private static final int WARM_UP_STEPS = 2;

    private FineTuningCost() {}

    /**
     * Times {@code steps} optimizer steps of each setup after a short warm-up.
     *
     * @param card describes the network (architecture, classes, channels, width)
     */
    public static Comparison measure(ModelCard card, int resolution, int batchSize, LastBatchNormMode bn,
                                     int steps, long seed) {
        if (steps < 2) {
            throw new IllegalArgumentException("timing needs at least 2 steps, got " + steps);
        }
        ResNet net = card.networkBuilder().build();
        net.checkResolution(resolution);
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            net.initialize(manager, resolution);
            StepTimer timer = new StepTimer(net, manager, WARM_UP_STEPS, steps);
            StepTimer.StepTime fineTuning = timer.fineTuning(resolution, batchSize, bn);
            StepTimer.StepTime fullTraining = timer.training(resolution, batchSize);
            return new Comparison(resolution, batchSize, bn, fineTuning, fullTraining);
        }
    }
}
