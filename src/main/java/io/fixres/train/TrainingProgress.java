package io.fixres.train;

/** Receives progress from an SGD run; the CLI draws a progress bar from it. */
public interface TrainingProgress {
    TrainingProgress NONE = new TrainingProgress() {};

    /** Called at the start of an epoch with the number of batches it will run. */
    default void epochStarted(int epoch, int epochs, int batches) {}

    /** Called after each optimizer step with the running mean loss of the epoch. */
    default void batchDone(int epoch, int batch, double runningLoss, double runningTop1) {}

    default void epochDone(EpochMetrics metrics) {}

    /** An inference pass over {@code images} images begins (the one-pass step's statistics and feature passes). */
    default void passStarted(String name, long images) {}

    /** {@code images} more images of the current pass are done. */
    default void imagesDone(int images) {}

    default void passDone() {}
}
