package io.fixres.cli;

import io.fixres.io.AtomicFiles;
import io.fixres.io.Json;
import io.fixres.model.ModelCard;
import io.fixres.study.ResolutionSweep;
import io.fixres.study.SweepReport;
import io.fixres.study.SweepResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The flags and the output files of a 1-pixel sweep, shared by {@code fixres sweep} and its Spark twin. */
public final class SweepOptions {
    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "Checkpoint directory; repeat to draw several models on one plot (legend from each card).")
    List<Path> models;

    @Option(names = "--from", paramLabel = "K", defaultValue = "16", description = "First test resolution (default ${DEFAULT-VALUE}).")
    int from;

    @Option(names = "--to", paramLabel = "K", defaultValue = "64", description = "Last test resolution (default ${DEFAULT-VALUE}).")
    int to;

    @Option(names = "--step", paramLabel = "S", defaultValue = "1",
            description = "Step in pixels (default ${DEFAULT-VALUE}; drops are only seen with 1).")
    int step;

    @Option(names = "--crop-ratio", paramLabel = "R", description = "Centre-crop ratio (default: each card's, 0.875 = 224/256).")
    Double cropRatio;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "256", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--title", paramLabel = "T", description = "Plot title (default: names the dataset and range).")
    String title;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output directory.")
    Path out;

    public List<Path> models() { return models; }

    public int batchSize() { return batchSize; }

    public Path out() { return out; }

    public int from() { return from; }

    public int to() { return to; }

    /** The swept resolutions, after checking the range and the crop ratio (naming the flags). */
    public List<Integer> resolutions() {
        if (from < 1 || to < from || step < 1) {
            throw new IllegalArgumentException("--from, --to and --step must satisfy 1 <= --from <= --to and --step >= 1, "
                    + "got --from " + from + ", --to " + to + ", --step " + step);
        }
        if (cropRatio != null && !(cropRatio > 0 && cropRatio <= 1)) {
            throw new IllegalArgumentException("--crop-ratio must be in (0, 1], got " + cropRatio);
        }
        return ResolutionSweep.range(from, to, step);
    }

    /** --crop-ratio, else the card's. */
    public double cropRatio(ModelCard card) {
        return cropRatio != null ? cropRatio : card.getTestCropRatio();
    }

    /** Writes OUT/result.json ({@code result}), OUT/sweep.csv and OUT/sweep.png, and says so. */
    public void write(Object result, List<SweepResult> sweeps, String dataName, int testImages) throws IOException {
        Path json = out.resolve("result.json");
        Path csv = out.resolve("sweep.csv");
        Path png = out.resolve("sweep.png");
        Json.write(json, result);
        AtomicFiles.writeString(csv, SweepReport.table(sweeps).toCsv());
        String plotTitle = title != null ? title : String.format("Top-1 by test resolution, %d-%d px by %d (%s, %d test images)",
                from, to, step, dataName, testImages);
        SweepReport.plot(sweeps, plotTitle).writePng(png, 1000, 560);
        System.out.println("wrote " + json + ", " + csv + ", " + png);
    }
}
