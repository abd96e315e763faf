package io.fixres.spark.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.cli.DataOptions;
import io.fixres.cli.EngineOptions;
import io.fixres.cli.ModelOptions;
import io.fixres.cli.Resolutions;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.eval.ResolutionEvaluation;
import io.fixres.io.Json;
import io.fixres.model.ModelCard;
import io.fixres.spark.DistributedEvaluation;
import io.fixres.spark.ImageSource;
import io.fixres.spark.JobSettings;
import io.fixres.spark.ShippedCheckpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "fixres evaluate on Spark: top-1/top-5 of a checkpoint at many test resolutions, test images "
                + "partitioned; same flags and --json as fixres evaluate, plus --master and --partitions.")
final class SparkEvaluateCommand implements Callable<Integer> {
    @Mixin ModelOptions model;
    @Mixin DataOptions data;
    @Mixin EngineOptions engine;
    @Mixin SparkOptions spark;

    @Option(names = "--test-res", paramLabel = "LIST", required = true, converter = Resolutions.class,
            description = "Test resolutions: 16,20,24 or ranges 16-64:4.")
    List<Integer> testRes;

    @Option(names = "--crop-ratio", paramLabel = "R", description = "Centre-crop ratio (default: the card's, 0.875 = 224/256).")
    Double cropRatio;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "256", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    /** evaluate --json: fixres evaluate's fields (no skipped images: --skip-bad-images is single-machine only). */
    record Output(@JsonProperty("model") String model, @JsonProperty("train_res") int trainResolution,
                  @JsonProperty("crop_ratio") double cropRatio, @JsonProperty("results") List<ResolutionAccuracy> results,
                  @JsonProperty("best") ResolutionAccuracy best, @JsonProperty("spark") JobReport spark) {}

    @Override
    public Integer call() throws Exception {
        if (cropRatio != null && !(cropRatio > 0 && cropRatio <= 1)) {
            throw new IllegalArgumentException("--crop-ratio must be in (0, 1], got " + cropRatio);
        }
        ModelCard card = SparkJobs.card(model.dir());
        double ratio = cropRatio != null ? cropRatio : card.getTestCropRatio();
        try (SparkSession session = spark.session("evaluate")) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.sparkContext());
            JobSettings settings = spark.settings(session, batchSize);
            SparkJobs.checkResolutions(model.dir(), testRes, "--test-res");
            ImageSource test = SparkJobs.test(data, engine);
            long start = System.nanoTime();
            ShippedCheckpoint checkpoint = ShippedCheckpoint.of(sc, model.dir());
            List<ResolutionAccuracy> results = DistributedEvaluation.run(sc, test, checkpoint, testRes, ratio, true, settings);
            JobReport report = JobReport.of(session, settings, (System.nanoTime() - start) / 1e9);
            ResolutionAccuracy best = ResolutionEvaluation.best(results);
            System.out.print(io.fixres.cli.EvaluateCommand.table(card.getTrainResolution(), results).toText());
            System.out.printf("best: test %d px, top-1 %.2f%% (trained at %d px)%n", best.testResolution(), best.top1(),
                    card.getTrainResolution());
            System.out.println(report.describe());
            if (json != null) {
                Json.write(json, new Output(model.dir().toString(), card.getTrainResolution(), ratio, results, best, report));
            }
        }
        return 0;
    }
}
