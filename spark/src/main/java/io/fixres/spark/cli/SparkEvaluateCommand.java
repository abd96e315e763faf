package io.fixres.spark.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.cli.DataOptions;
import io.fixres.cli.EngineOptions;
import io.fixres.cli.EvaluationOptions;
import io.fixres.cli.ModelOptions;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.io.Json;
import io.fixres.model.ModelCard;
import io.fixres.spark.DistributedEvaluation;
import io.fixres.spark.ImageSource;
import io.fixres.spark.JobSettings;
import io.fixres.spark.ShippedCheckpoint;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "fixres evaluate on Spark: top-1/top-5 of a checkpoint at many test resolutions, test images "
                + "partitioned; same flags and --json as fixres evaluate, plus --master and --partitions.")
final class SparkEvaluateCommand implements Callable<Integer> {
    @Mixin ModelOptions model;
    @Mixin DataOptions data;
    @Mixin EngineOptions engine;
    @Mixin SparkOptions spark;

    @Mixin EvaluationOptions evaluation;

    /** evaluate --json: fixres evaluate's fields (no skipped images: --skip-bad-images is single-machine only). */
    record Output(@JsonProperty("model") String model, @JsonProperty("train_res") int trainResolution,
                  @JsonProperty("crop_ratio") double cropRatio, @JsonProperty("results") List<ResolutionAccuracy> results,
                  @JsonProperty("best") ResolutionAccuracy best, @JsonProperty("spark") JobReport spark) {}

    @Override
    public Integer call() throws Exception {
        evaluation.checkJson();
        List<Integer> testRes = evaluation.testResolutions();
        ModelCard card = SparkJobs.card(model.dir());
        double ratio = evaluation.cropRatio(card);
        try (SparkSession session = spark.session("evaluate")) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.sparkContext());
            JobSettings settings = spark.settings(session, evaluation.batchSize());
            SparkJobs.checkResolutions(model.dir(), testRes, "--test-res");
            ImageSource test = SparkJobs.test(data, engine);
            long start = System.nanoTime();
            ShippedCheckpoint checkpoint = ShippedCheckpoint.of(sc, model.dir());
            List<ResolutionAccuracy> results = DistributedEvaluation.run(sc, test, checkpoint, testRes, ratio, true, settings);
            JobReport report = JobReport.of(session, settings, (System.nanoTime() - start) / 1e9);
            ResolutionAccuracy best = EvaluationOptions.printResults(card.getTrainResolution(), results);
            System.out.println(report.describe());
            if (evaluation.json() != null) {
                Json.write(evaluation.json(), new Output(model.dir().toString(), card.getTrainResolution(), ratio, results, best, report));
            }
        }
        return 0;
    }
}
