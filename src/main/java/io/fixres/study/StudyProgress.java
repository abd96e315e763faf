package io.fixres.study;

import io.fixres.train.TrainingProgress;

/** Receives progress from a multi-step study (grid, ablation); the CLI prints a line per step. */
public interface StudyProgress {
    StudyProgress NONE = new StudyProgress() {};

    /**
     * A step begins: training a model, evaluating it, or one fine-tuning.
     *
     * @param step 1-based index of the step
     * @param steps number of steps in the study (cached steps included)
     * @param cached true when the result is already known and nothing will be computed
     */
    default void stepStarted(int step, int steps, String description, boolean cached) {}

    /** Where the SGD of a training or fine-tuning step reports its epochs and batches. */
    default TrainingProgress training() { return TrainingProgress.NONE; }
}
