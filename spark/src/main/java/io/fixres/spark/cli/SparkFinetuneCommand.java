package io.fixres.spark.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.fixres.cli.DataOptions;
import io.fixres.cli.EngineOptions;
import io.fixres.cli.FineTuneOptions;
import io.fixres.cli.ModelOptions;
import io.fixres.core.LastBatchNormMode;
import io.fixres.io.Json;
import io.fixres.model.Checkpoint;
import io.fixres.model.ModelCard;
import io.fixres.spark.DistributedFineTuning;
import io.fixres.spark.ImageSource;
import io.fixres.spark.JobSettings;
import io.fixres.train.CheckpointFineTuning;
import io.fixres.train.LastBatchNormFineTuner;
import io.fixres.train.LastBatchNormFineTuner.FineTuneAugmentation;
import io.fixres.train.OnePassFineTuner;
import io.fixres.train.RunDirectory;
import io.fixres.train.SgdConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "finetune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"fixres finetune --method cached on Spark: exact last-BatchNorm statistics at K by treeAggregate, "
                + "the pooled features by a distributed pass (written as Parquet), the classifier fitted on the driver.",
            "Writes DIR2/model.params, DIR2/model.json, DIR2/finetune.json (fixres finetune's fields plus a spark block) "
                + "and the features (DIR2/features.parquet, or --features)."})
final class SparkFinetuneCommand implements Callable<Integer> {
    @Mixin ModelOptions model;
    @Mixin DataOptions data;
    @Mixin EngineOptions engine;
    @Mixin SparkOptions spark;

    @Option(names = "--test-res", paramLabel = "K", required = true, description = "Test resolution to fine-tune for.")
    int testRes;

    @Option(names = "--bn", paramLabel = "MODE", defaultValue = "stats",
            description = "Last BatchNorm: stats (default: exact statistics at K) or none (classifier only).")
    LastBatchNormMode bn;

    @Option(names = "--da", paramLabel = "DA", defaultValue = "test",
            description = "Fine-tuning augmentation: test (the only one the cached method supports).")
    FineTuneAugmentation da;

    @Option(names = "--method", paramLabel = "M", defaultValue = "cached",
            description = "cached (default and only method on Spark: SGD epochs do not distribute this way).")
    ModelCard.FineTuningMethod method;

    @Option(names = "--stats-images", paramLabel = "N", defaultValue = "0",
            description = "Images of the statistics pass (a seeded subset; default 0 = all).")
    int statsImages;

    @Option(names = "--half-features", description = "Hold the features in half precision on the driver for the fit.")
    boolean halfFeatures;

    @Option(names = "--features", paramLabel = "URI",
            description = "Where the Parquet features go (default DIR2/features.parquet; on a cluster, shared storage "
                    + "such as hdfs://... since executors write them).")
    String features;

    @Mixin FineTuneOptions sgdOptions;

    @Option(names = "--out", paramLabel = "DIR2", required = true, description = "Output checkpoint directory.")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing checkpoint in DIR2.")
    boolean force;

    /** finetune.json: fixres finetune's report, plus where the features are and how the job ran. */
    record Output(@JsonUnwrapped CheckpointFineTuning.Report report, @JsonProperty("features") String features,
                  @JsonProperty("spark") JobReport spark) {}

    @Override
    public Integer call() throws Exception {
        RunDirectory.checkWritable(out, force);
        if (method != ModelCard.FineTuningMethod.CACHED) {
            throw new IllegalArgumentException("--method must be cached on Spark (got " + method.id()
                    + "): the published SGD recipe runs on one machine, fixres finetune --method sgd");
        }
        if (statsImages < 0) {
            throw new IllegalArgumentException("--stats-images must be >= 0 (0: all), got " + statsImages);
        }
        SgdConfig sgd = sgdOptions.sgd(engine, FineTuneOptions.CACHED_EPOCHS);
        LastBatchNormFineTuner.Request request = new LastBatchNormFineTuner.Request(testRes, bn, da, sgd);
        try {
            OnePassFineTuner.checkSupported(request);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--method cached: " + e.getMessage());
        }
        ImageSource train = SparkJobs.train(data, engine);
        ImageSource test = SparkJobs.test(data, engine);
        // OnePassFineTuner's statistics subset: seed + 7 over the (limited) training images
        ImageSource statsSource = statsImages == 0 ? train : train.limit(statsImages, sgd.seed() + 7);
        String featuresUri = features != null ? features : out.resolve(DistributedFineTuning.FEATURES_DIR).toAbsolutePath().toString();
        Output output;
        try (SparkSession session = spark.session("finetune")) {
            // the passes run in OnePassFineTuner's batches, so partitions hold the batches the single machine forms
            JobSettings settings = spark.settings(session, io.fixres.train.OnePassFineTuner.passBatchSize(sgd));
            SparkJobs.checkResolutions(model.dir(), List.of(testRes), "--test-res");
            long start = System.nanoTime();
            DistributedFineTuning.Outcome outcome = DistributedFineTuning.run(session, model.dir(), train, statsSource,
                    test, request, halfFeatures, featuresUri, Runtime.getRuntime().maxMemory() / 4, out, settings);
            JobReport report = JobReport.of(session, settings, (System.nanoTime() - start) / 1e9);
            output = new Output(outcome.report(), featuresUri, report);
            System.out.println(report.describe());
        }
        CheckpointFineTuning.Report r = output.report();
        System.out.printf("top-1 at %d px: %.2f%% before, %.2f%% after fine-tuning (%+.2f); cached fine-tuning %.1f s%n",
                testRes, r.before().top1(), r.after().top1(), r.after().top1() - r.before().top1(), r.seconds());
        Path json = out.resolve("finetune.json");
        Json.write(json, output);
        System.out.println("wrote " + out.resolve(Checkpoint.PARAMS_FILE) + ", " + out.resolve(Checkpoint.CARD_FILE)
                + ", " + json + ", " + featuresUri);
        return 0;
    }
}
