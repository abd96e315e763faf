package io.fixres.cli;

import io.fixres.eval.ResolutionAccuracy;
import io.fixres.io.Json;
import io.fixres.model.Checkpoint;
import io.fixres.train.Recalibration;
import io.fixres.train.RunDirectory;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The flags, the summary line and the result file of a recalibration, shared by {@code fixres recalibrate} and its Spark twin. */
public final class RecalibrationOptions {
    /** Where the result goes, beside the recalibrated checkpoint. */
    public static final String RESULT_FILE = "recalibrate.json";

    @Option(names = "--test-res", paramLabel = "K", required = true, description = "Test resolution to recalibrate for.")
    int testRes;

    @Option(names = "--layers", paramLabel = "L", defaultValue = "last",
            description = "last (default: the last BatchNorm, as the FixRes step) or all (every BatchNorm in one pass, "
                    + "as torch.optim.swa_utils.update_bn, with exact pooled statistics).")
    Recalibration.Layers layers;

    @Option(names = "--stats-images", paramLabel = "N", defaultValue = "0",
            description = "Use a seeded subset of N images for the statistics (default 0 = all).")
    int statsImages;

    @Option(names = "--limit-test", paramLabel = "N", description = "Measure top-1 on a seeded subset of N test images.")
    Integer limitTest;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "256", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--out", paramLabel = "DIR2", required = true, description = "Output checkpoint directory.")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing checkpoint in DIR2.")
    boolean force;

    public int testRes() { return testRes; }

    public Recalibration.Layers layers() { return layers; }

    public int statsImages() { return statsImages; }

    public Integer limitTest() { return limitTest; }

    public int batchSize() { return batchSize; }

    public Path out() { return out; }

    /** Refuses an output checkpoint that exists (without --force) and a negative --stats-images, before any work. */
    public void check() throws IOException {
        RunDirectory.checkWritable(out, force);
        if (statsImages < 0) {
            throw new IllegalArgumentException("--stats-images must be >= 0 (0: all), got " + statsImages);
        }
    }

    /** The one-line outcome: top-1 before and after when measured, else what was recalibrated. */
    public void printSummary(ResolutionAccuracy before, ResolutionAccuracy after, long images, int batchNorms,
                             double seconds) {
        if (before != null) {
            System.out.printf("top-1 at %d px: %.2f%% before, %.2f%% after recalibrating %s (%+.2f), no label read; %.1f s%n",
                    testRes, before.top1(), after.top1(), layers, after.top1() - before.top1(), seconds);
        } else {
            System.out.printf("recalibrated %d BatchNorm%s at %d px from %d images in %.1f s (no labelled test split: "
                    + "accuracy not measured)%n", batchNorms, batchNorms == 1 ? "" : "s", testRes, images, seconds);
        }
    }

    /** Writes DIR2/recalibrate.json and names the checkpoint's files. */
    public void writeResult(Object result) throws IOException {
        Json.write(out.resolve(RESULT_FILE), result);
        System.out.println("wrote " + out.resolve(Checkpoint.PARAMS_FILE) + ", " + out.resolve(Checkpoint.CARD_FILE)
                + ", " + out.resolve(RESULT_FILE));
    }
}
