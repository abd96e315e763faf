package io.fixres.train;

/** Receives progress from an SGD run; the CLI draws a progress bar from it. */
public interface TrainingProgress {
    TrainingProgress NONE = new TrainingProgress() {};

    /** Called at the start of an epoch with the number of batches it will run. */
    default void epochStarted(int epoch, int epochs, int batches) {}

    /** Called after each optimizer step with the running mean loss of the epoch. */
    default void batchDone(int epoch, int batch, double runningLoss, double runningTop1) {}

    default void epochDone(EpochMetrics metrics) {}
}
