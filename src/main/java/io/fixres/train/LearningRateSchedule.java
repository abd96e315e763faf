package io.fixres.train;

import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.MultiFactorTracker;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Learning-rate schedules over optimizer updates (DJL counts updates, not epochs). */
public enum LearningRateSchedule {
    /** Cosine decay to zero over the whole run (timm's default). */
    COSINE,
    /** x0.1 at every third of the run (torchvision's StepLR, scaled to short runs). */
    STEP,
    /** Constant learning rate. */
    CONSTANT;

    /** The tracker for {@code totalUpdates} optimizer steps starting at {@code baseLr}. */
    public Tracker tracker(float baseLr, int totalUpdates) {
        int updates = Math.max(totalUpdates, 1);
        return switch (this) {
            case COSINE -> CosineTracker.builder()
                    .setBaseValue(baseLr)
                    .optFinalValue(0f)
                    .setMaxUpdates(updates)
                    .build();
            case STEP -> MultiFactorTracker.builder()
                    .setBaseValue(baseLr)
                    .optFactor(0.1f)
                    .setSteps(new int[] {Math.max(1, updates / 3), Math.max(2, 2 * updates / 3)})
                    .build();
            case CONSTANT -> Tracker.fixed(baseLr);
        };
    }

    /** The name in JSON and on the command line. */
    @JsonValue
    public String id() { return name().toLowerCase(Locale.ROOT); }

    @Override
    public String toString() { return id(); }
}
