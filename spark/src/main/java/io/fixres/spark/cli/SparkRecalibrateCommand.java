package io.fixres.spark.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.cli.EngineOptions;
import io.fixres.cli.ModelOptions;
import io.fixres.cli.RecalibrationOptions;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.spark.DistributedRecalibration;
import io.fixres.spark.ImageSource;
import io.fixres.spark.ImageSources;
import io.fixres.spark.JobSettings;
import io.fixres.spark.ResolvedImageSource.Split;
import io.fixres.train.Recalibration;
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

    @Mixin RecalibrationOptions recal;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Output(@JsonProperty("model") String model, @JsonProperty("out") String out,
                  @JsonProperty("test_res") int testResolution, @JsonProperty("layers") Recalibration.Layers layers,
                  @JsonProperty("images") long images, @JsonProperty("batch_norms") int batchNorms,
                  @JsonProperty("seconds") double seconds, @JsonProperty("before") ResolutionAccuracy before,
                  @JsonProperty("after") ResolutionAccuracy after, @JsonProperty("spark") JobReport spark) {}

    @Override
    public Integer call() throws Exception {
        recal.check();
        if (recal.limitTest() != null && recal.limitTest() < 1) {
            throw new IllegalArgumentException("--limit-test must be >= 1, got " + recal.limitTest());
        }
        ImageSource images = ImageSources.of(data, Split.UNLABELLED_OR_TRAIN, recal.statsImages() > 0 ? recal.statsImages() : null,
                engine.seed() + 7);
        ImageSource test = images.labelled() ? ImageSources.of(data, Split.TEST, recal.limitTest(), engine.seed() + 1) : null;
        Output output;
        try (SparkSession session = spark.session("recalibrate")) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.sparkContext());
            JobSettings settings = spark.settings(session, recal.batchSize());
            SparkJobs.checkResolutions(model.dir(), List.of(recal.testRes()), "--test-res");
            long start = System.nanoTime();
            DistributedRecalibration.Outcome outcome = DistributedRecalibration.run(sc, model.dir(), images, test,
                    recal.testRes(), recal.layers(), recal.out(), settings);
            JobReport report = JobReport.of(session, settings, (System.nanoTime() - start) / 1e9);
            Recalibration.Result r = outcome.result();
            output = new Output(model.dir().toString(), recal.out().toString(), recal.testRes(), recal.layers(), r.images(), r.batchNorms(),
                    r.seconds(), outcome.before(), outcome.after(), report);
            System.out.println(report.describe());
        }
        recal.printSummary(output.before(), output.after(), output.images(), output.batchNorms(), output.seconds());
        recal.writeResult(output);
        return 0;
    }
}
