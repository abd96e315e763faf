package io.fixres.spark.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.cli.EngineOptions;
import io.fixres.cli.ModelOptions;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.io.Json;
import io.fixres.model.Checkpoint;
import io.fixres.spark.DistributedRecalibration;
import io.fixres.spark.ImageSource;
import io.fixres.spark.ImageSources;
import io.fixres.spark.JobSettings;
import io.fixres.spark.ResolvedImageSource.Split;
import io.fixres.train.Recalibration;
import io.fixres.train.RunDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "recalibrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"fixres recalibrate on Spark: label-free BatchNorm statistics at K, per-channel count, mean and "
                + "squared deviations per partition merged by treeAggregate in double precision.",
            "Writes DIR2/model.params, DIR2/model.json and DIR2/recalibrate.json (fixres recalibrate's fields plus a "
                + "spark block)."})
final class SparkRecalibrateCommand implements Callable<Integer> {
    @Mixin ModelOptions model;
    @Mixin EngineOptions engine;
    @Mixin SparkOptions spark;

    @Option(names = "--data", paramLabel = "D", defaultValue = "fashion-mnist",
            description = "fashion-mnist (default; its training images), an IDX directory or ImageFolder (training "
                    + "split), or a plain folder of images; local paths must be the same on every node, or a Hadoop URI.")
    String data;

    @Option(names = "--test-res", paramLabel = "K", required = true, description = "Test resolution to recalibrate for.")
    int testRes;

    @Option(names = "--layers", paramLabel = "L", defaultValue = "last",
            description = "last (default: the last BatchNorm) or all (every BatchNorm in one pass; partitions hold whole "
                    + "batches, so the batch statistics are the single-machine ones).")
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

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Output(@JsonProperty("model") String model, @JsonProperty("out") String out,
                  @JsonProperty("test_res") int testResolution, @JsonProperty("layers") Recalibration.Layers layers,
                  @JsonProperty("images") long images, @JsonProperty("batch_norms") int batchNorms,
                  @JsonProperty("seconds") double seconds, @JsonProperty("before") ResolutionAccuracy before,
                  @JsonProperty("after") ResolutionAccuracy after, @JsonProperty("spark") JobReport spark) {}

    @Override
    public Integer call() throws Exception {
        RunDirectory.checkWritable(out, force);
        if (statsImages < 0) {
            throw new IllegalArgumentException("--stats-images must be >= 0 (0: all), got " + statsImages);
        }
        if (limitTest != null && limitTest < 1) {
            throw new IllegalArgumentException("--limit-test must be >= 1, got " + limitTest);
        }
        ImageSource images = ImageSources.of(data, Split.UNLABELLED_OR_TRAIN, statsImages > 0 ? statsImages : null,
                engine.seed() + 7);
        ImageSource test = images.labelled() ? ImageSources.of(data, Split.TEST, limitTest, engine.seed() + 1) : null;
        Output output;
        try (SparkSession session = spark.session("recalibrate")) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.sparkContext());
            JobSettings settings = spark.settings(session, batchSize);
            SparkJobs.checkResolutions(model.dir(), List.of(testRes), "--test-res");
            long start = System.nanoTime();
            DistributedRecalibration.Outcome outcome = DistributedRecalibration.run(sc, model.dir(), images, test,
                    testRes, layers, out, settings);
            JobReport report = JobReport.of(session, settings, (System.nanoTime() - start) / 1e9);
            Recalibration.Result r = outcome.result();
            output = new Output(model.dir().toString(), out.toString(), testRes, layers, r.images(), r.batchNorms(),
                    r.seconds(), outcome.before(), outcome.after(), report);
            System.out.println(report.describe());
        }
        if (output.before() != null) {
            System.out.printf("top-1 at %d px: %.2f%% before, %.2f%% after recalibrating %s (%+.2f), no label read; %.1f s%n",
                    testRes, output.before().top1(), output.after().top1(), layers,
                    output.after().top1() - output.before().top1(), output.seconds());
        } else {
            System.out.printf("recalibrated %d BatchNorm%s at %d px from %d images in %.1f s (no labelled test split: "
                    + "accuracy not measured)%n", output.batchNorms(), output.batchNorms() == 1 ? "" : "s", testRes,
                    output.images(), output.seconds());
        }
        Path json = out.resolve("recalibrate.json");
        Json.write(json, output);
        System.out.println("wrote " + out.resolve(Checkpoint.PARAMS_FILE) + ", " + out.resolve(Checkpoint.CARD_FILE)
                + ", " + json);
        return 0;
    }
}
