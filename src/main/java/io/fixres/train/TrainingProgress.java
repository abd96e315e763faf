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

    /**
     * Runs {@code work} (an evaluation or statistics pass over {@code images} images, given where to
     * report each batch's images) as one named pass: a long evaluation inside a study then shows
     * progress like the training around it.
     */
    default <T> T pass(String name, long images, java.util.function.Function<java.util.function.IntConsumer, T> work) {
        passStarted(name, images);
        try {
            return work.apply(this::imagesDone);
        } finally {
            passDone();
        }
    }
}
