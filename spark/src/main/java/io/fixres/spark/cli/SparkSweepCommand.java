package io.fixres.spark.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.cli.DataOptions;
import io.fixres.cli.EngineOptions;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.io.AtomicFiles;
import io.fixres.io.Json;
import io.fixres.model.Checkpoint;
import io.fixres.spark.DistributedEvaluation;
import io.fixres.spark.ImageSource;
import io.fixres.spark.JobSettings;
import io.fixres.spark.ShippedCheckpoint;
import io.fixres.study.ResolutionSweep;
import io.fixres.study.SweepReport;
import io.fixres.study.SweepResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"fixres sweep on Spark: top-1 at every test resolution of a range (supplement B, Figures 7-8), "
                + "test images partitioned, every resolution evaluated by each partition with the checkpoint loaded once.",
            "Writes OUT/result.json (fixres sweep's fields plus a spark block), OUT/sweep.csv and OUT/sweep.png."})
final class SparkSweepCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "Checkpoint directory; repeat to draw several models on one plot (legend from each card).")
    List<Path> models;

    @Mixin DataOptions data;
    @Mixin EngineOptions engine;
    @Mixin SparkOptions spark;

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

    /** result.json: fixres sweep's fields, plus where and how the job ran. */
    record Output(@JsonProperty("data") String data, @JsonProperty("test_images") int testImages,
                  @JsonProperty("models") List<String> models, @JsonProperty("sweeps") List<SweepResult> sweeps,
                  @JsonProperty("spark") JobReport spark) {}

    @Override
    public Integer call() throws Exception {
        if (from < 1 || to < from || step < 1) {
            throw new IllegalArgumentException("--from, --to and --step must satisfy 1 <= --from <= --to and --step >= 1, "
                    + "got --from " + from + ", --to " + to + ", --step " + step);
        }
        if (cropRatio != null && !(cropRatio > 0 && cropRatio <= 1)) {
            throw new IllegalArgumentException("--crop-ratio must be in (0, 1], got " + cropRatio);
        }
        List<Integer> resolutions = ResolutionSweep.range(from, to, step);
        List<SweepResult> sweeps = new ArrayList<>();
        ImageSource test = SparkJobs.test(data, engine);
        JobReport report;
        int testImages;
        try (SparkSession session = spark.session("sweep")) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.sparkContext());
            JobSettings settings = spark.settings(session, batchSize);
            testImages = test.refs().size();
            long start = System.nanoTime();
            for (Path dir : models) {
                try (NDManager manager = NDManager.newBaseManager()) {
                    Checkpoint.LoadedModel loaded = Checkpoint.load(dir, manager); // the driver analyses the curve
                    resolutions.forEach(loaded.net()::checkResolution);
                    double ratio = cropRatio != null ? cropRatio : loaded.card().getTestCropRatio();
                    ShippedCheckpoint checkpoint = ShippedCheckpoint.of(sc, dir);
                    List<ResolutionAccuracy> results = DistributedEvaluation.run(sc, test, checkpoint, resolutions,
                            ratio, false, settings);
                    checkpoint.release();
                    sweeps.add(new ResolutionSweep(loaded.net(), loaded.card(), manager, batchSize, 1)
                            .analyse(results, ratio));
                }
            }
            report = JobReport.of(session, settings, (System.nanoTime() - start) / 1e9);
        }
        sweeps = SweepReport.distinctLabels(sweeps);
        sweeps.forEach(s -> System.out.print(SweepReport.summary(s)));
        System.out.println(report.describe());
        String name = test.name();
        Path json = out.resolve("result.json");
        Path csv = out.resolve("sweep.csv");
        Path png = out.resolve("sweep.png");
        Json.write(json, new Output(name, testImages, models.stream().map(Path::toString).toList(), sweeps, report));
        AtomicFiles.writeString(csv, SweepReport.table(sweeps).toCsv());
        String plotTitle = title != null ? title : String.format("Top-1 by test resolution, %d-%d px by %d (%s, %d test images)",
                from, to, step, name, testImages);
        SweepReport.plot(sweeps, plotTitle).writePng(png, 1000, 560);
        System.out.println("wrote " + json + ", " + csv + ", " + png);
        return 0;
    }
}
