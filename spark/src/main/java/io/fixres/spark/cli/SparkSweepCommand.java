package io.fixres.spark.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.cli.DataOptions;
import io.fixres.cli.EngineOptions;
import io.fixres.cli.SweepOptions;
import io.fixres.eval.ResolutionAccuracy;
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

@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"fixres sweep on Spark: top-1 at every test resolution of a range (supplement B, Figures 7-8), "
                + "test images partitioned, every resolution evaluated by each partition with the checkpoint loaded once.",
            "Writes OUT/result.json (fixres sweep's fields plus a spark block), OUT/sweep.csv and OUT/sweep.png."})
final class SparkSweepCommand implements Callable<Integer> {
    @Mixin SweepOptions sweep;
    @Mixin DataOptions data;
    @Mixin EngineOptions engine;
    @Mixin SparkOptions spark;

    /** result.json: fixres sweep's fields, plus where and how the job ran. */
    record Output(@JsonProperty("data") String data, @JsonProperty("test_images") int testImages,
                  @JsonProperty("models") List<String> models, @JsonProperty("sweeps") List<SweepResult> sweeps,
                  @JsonProperty("spark") JobReport spark) {}

    @Override
    public Integer call() throws Exception {
        List<Integer> resolutions = sweep.resolutions();
        List<Path> models = sweep.models();
        List<SweepResult> sweeps = new ArrayList<>();
        ImageSource test = SparkJobs.test(data, engine);
        JobReport report;
        int testImages;
        try (SparkSession session = spark.session("sweep")) {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(session.sparkContext());
            JobSettings settings = spark.settings(session, sweep.batchSize());
            testImages = test.refs().size();
            long start = System.nanoTime();
            for (Path dir : models) {
                try (NDManager manager = NDManager.newBaseManager()) {
                    Checkpoint.LoadedModel loaded = Checkpoint.load(dir, manager); // the driver analyses the curve
                    resolutions.forEach(loaded.net()::checkResolution);
                    double ratio = sweep.cropRatio(loaded.card());
                    ShippedCheckpoint checkpoint = ShippedCheckpoint.of(sc, dir);
                    List<ResolutionAccuracy> results = DistributedEvaluation.run(sc, test, checkpoint, resolutions,
                            ratio, false, settings);
                    checkpoint.release();
                    sweeps.add(new ResolutionSweep(loaded.net(), loaded.card(), manager, sweep.batchSize(), 1)
                            .analyse(results, ratio));
                }
            }
            report = JobReport.of(session, settings, (System.nanoTime() - start) / 1e9);
        }
        sweeps = SweepReport.distinctLabels(sweeps);
        sweeps.forEach(s -> System.out.print(SweepReport.summary(s)));
        System.out.println(report.describe());
        sweep.write(new Output(test.name(), testImages, models.stream().map(Path::toString).toList(), sweeps, report),
                sweeps, test.name(), testImages);
        return 0;
    }
}
