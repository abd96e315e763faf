package io.fixres.cli;

import io.fixres.report.ProgressBar;
import io.fixres.train.EpochMetrics;
import io.fixres.train.TrainingProgress;
import java.util.Locale;

/** Draws one progress bar per epoch with the running loss and accuracy, then an epoch summary line. */
final class TrainingProgressBar implements TrainingProgress {
    private final String label;
    private final boolean printSummaries;
    private ProgressBar bar;

    TrainingProgressBar(String label) {
        this(label, false);
    }

    /** With {@code printSummaries}, each finished epoch also prints its {@link #summary} line on stdout. */
    TrainingProgressBar(String label, boolean printSummaries) {
        this.label = label;
        this.printSummaries = printSummaries;
    }

    @Override
    public void epochStarted(int epoch, int epochs, int batches) {
        bar = new ProgressBar(label + " epoch " + epoch + "/" + epochs, batches, "batches");
    }

    @Override
    public void batchDone(int epoch, int batch, double runningLoss, double runningTop1) {
        bar.message(String.format(Locale.ROOT, "loss %.3f acc %.1f%%", runningLoss, runningTop1));
        bar.step();
    }

    @Override
    public void epochDone(EpochMetrics m) {
        bar.close();
        if (printSummaries) {
            System.out.println(summary(m));
        }
    }

    @Override
    public void passStarted(String name, long images) {
        bar = new ProgressBar(label + " " + name, images, "images");
    }

    @Override
    public void imagesDone(int images) {
        bar.step(images);
    }

    @Override
    public void passDone() {
        bar.close();
    }

    static String summary(EpochMetrics m) {
        return String.format(Locale.ROOT, "epoch %d: loss %.4f  train top-1 %.2f%%%s  lr %.4g  %.1fs",
                m.epoch(), m.trainLoss(), m.trainTop1(),
                m.validTop1() == null ? "" : String.format(Locale.ROOT, "  test top-1 %.2f%%", m.validTop1()),
                m.learningRate(), m.seconds());
    }
}
