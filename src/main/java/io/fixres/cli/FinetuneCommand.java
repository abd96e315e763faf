package io.fixres.cli;

import io.fixres.data.DataSplits;
import io.fixres.model.Checkpoint;
import io.fixres.io.Json;
import io.fixres.model.ModelCard;
import io.fixres.train.CheckpointFineTuning;
import io.fixres.train.OnePassFineTuner;
import io.fixres.train.LastBatchNormFineTuner;
import io.fixres.core.LastBatchNormMode;
import io.fixres.train.LastBatchNormFineTuner.FineTuneAugmentation;
import io.fixres.train.RunDirectory;
import io.fixres.train.SgdConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "finetune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"FixRes: fine-tune a checkpoint at the test resolution K (classifier + last BatchNorm).",
            "Writes DIR2/model.params, DIR2/model.json (the card records the fine-tuning and recommends K) "
                    + "and DIR2/finetune.json (accuracy before/after, epochs, step times)."})
final class FinetuneCommand implements Callable<Integer> {
    static final String RESULT_FILE = "finetune.json";

    @Mixin ModelOptions model;
    @Mixin DataOptions data;
    @Mixin SkipBadImagesOption skip;
    @Mixin EngineOptions engine;

    @Option(names = "--test-res", paramLabel = "K", required = true, description = "Test resolution to fine-tune for.")
    int testRes;

    @Option(names = "--bn", paramLabel = "MODE", defaultValue = "stats",
            description = "Last BatchNorm: stats (default, the published code: batch statistics, running mean/var "
                    + "updated, gamma/beta frozen), affine (stats + gamma/beta trained), none (classifier only).")
    LastBatchNormMode bn;

    @Option(names = "--da", paramLabel = "DA", defaultValue = "test",
            description = "Fine-tuning augmentation: test (default, the test transform at K), train (the card's "
                    + "training augmentation at K), test2 (the authors' v2).")
    FineTuneAugmentation da;

    @Option(names = "--method", paramLabel = "M", defaultValue = "sgd",
            description = "sgd (default, the published recipe: SGD epochs, the last BatchNorm on batch statistics) or "
                    + "cached (one statistics pass for exact last-BN statistics, one feature pass, the classifier fitted "
                    + "on cached features; --bn stats|none with --da test only).")
    ModelCard.FineTuningMethod method;

    @Option(names = "--stats-images", paramLabel = "N", defaultValue = "0",
            description = "With --method cached: images of the statistics pass (a seeded subset; default 0 = all).")
    int statsImages;

    @Option(names = "--half-features", description = "With --method cached: cache the features in half precision.")
    boolean halfFeatures;

    @Mixin FineTuneOptions sgdOptions;

    @Option(names = "--timing-steps", paramLabel = "N", defaultValue = "10",
            description = "Time N fine-tuning and N full-training steps at K on one batch (default ${DEFAULT-VALUE}; 0 skips).")
    int timingSteps;

    @Option(names = "--out", paramLabel = "DIR2", required = true, description = "Output checkpoint directory.")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing checkpoint in DIR2.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        RunDirectory.checkWritable(out, force);
        if (method == ModelCard.FineTuningMethod.RECALIBRATE) {
            throw new IllegalArgumentException("--method must be sgd or cached; label-free recalibration is "
                    + "`fixres recalibrate`");
        }
        boolean cached = method == ModelCard.FineTuningMethod.CACHED;
        SgdConfig sgd = sgdOptions.sgd(engine, cached ? FineTuneOptions.CACHED_EPOCHS : LastBatchNormFineTuner.DEFAULT_EPOCHS);
        LastBatchNormFineTuner.Request request = new LastBatchNormFineTuner.Request(testRes, bn, da, sgd);
        if (cached) {
            try {
                OnePassFineTuner.checkSupported(request);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--method cached: " + e.getMessage());
            }
        }
        Resolutions.requireUseful(Checkpoint.describedNetwork(model.dir()), testRes, "--test-res");
        OnePassFineTuner.Options options = new OnePassFineTuner.Options(statsImages, halfFeatures,
                Runtime.getRuntime().maxMemory() / 4, out.resolve("features.tmp"));
        DataSplits splits = skip.apply(data.load(engine.seed()));
        CheckpointFineTuning.Report report = CheckpointFineTuning.run(model.dir(), splits, request, method, options,
                out, timingSteps,
                new TrainingProgressBar("finetune", true), card -> System.err.printf(
                        "fixres finetune: %s trained at %d px, fine-tuned at %d px (bn %s, %s DA) on %s: "
                                + "%d train / %d test images%n", card.getArchitecture(), card.getTrainResolution(),
                        testRes, bn, da, splits.name(), splits.train().size(), splits.test().size()));
        skip.report("finetune", System.err);
        System.out.printf("top-1 at %d px: %.2f%% before, %.2f%% after fine-tuning (%+.2f); %s fine-tuning %.1f s%n",
                testRes, report.before().top1(), report.after().top1(), report.after().top1() - report.before().top1(),
                method, report.seconds());
        if (report.stepTime() != null) {
            System.out.println(report.stepTime().describe());
        }
        Json.write(out.resolve(RESULT_FILE), report);
        System.out.println("wrote " + out.resolve(Checkpoint.PARAMS_FILE) + ", " + out.resolve(Checkpoint.CARD_FILE)
                + ", " + out.resolve(RESULT_FILE));
        return 0;
    }
}
