package io.fixres.cli;

import ai.djl.Model;
import io.fixres.data.DataSplits;
import io.fixres.model.Checkpoint;
import io.fixres.report.Json;
import io.fixres.train.FromScratchTraining;
import io.fixres.train.LearningRateSchedule;
import io.fixres.train.SgdConfig;
import io.fixres.transform.TrainAugmentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a classifier from scratch at one resolution.",
            "Writes DIR/model.params (safetensors, torchvision key names), DIR/model.json (the model card) "
                    + "and DIR/metrics.jsonl (one line per epoch)."})
final class TrainCommand implements Callable<Integer> {
    @Mixin DataOptions data;
    @Mixin EngineOptions engine;

    @Option(names = "--model", paramLabel = "ARCH", defaultValue = "resnet-small",
            description = "Architecture: resnet-small (default), resnet18, resnet34, resnet50, resnet101.")
    String architecture;

    @Option(names = "--width", paramLabel = "W", defaultValue = "1.0", description = "Width multiplier (default ${DEFAULT-VALUE}).")
    double width;

    @Option(names = "--train-res", paramLabel = "K", defaultValue = "24", description = "Training resolution K_train (default ${DEFAULT-VALUE}).")
    int trainRes;

    @Option(names = "--train-aug", paramLabel = "AUG", defaultValue = "rrc",
            description = "rrc (RandomResizedCrop, the paper) or resize-crop (resize + random crop, supplement D). Default ${DEFAULT-VALUE}.")
    String trainAug;

    @Option(names = "--color-jitter", paramLabel = "J", defaultValue = "0.3",
            description = "ColorJitter brightness/contrast/saturation strength (paper: 0.3; 0 disables). Default ${DEFAULT-VALUE}.")
    double colorJitter;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "4", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "128", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "0.1", description = "Initial learning rate (default ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--momentum", paramLabel = "M", defaultValue = "0.9", description = "SGD momentum (default ${DEFAULT-VALUE}).")
    float momentum;

    @Option(names = "--weight-decay", paramLabel = "WD", defaultValue = "5e-4", description = "Weight decay (default ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(names = "--schedule", paramLabel = "S", defaultValue = "cosine", description = "cosine (default), step or constant.")
    String schedule;

    @Option(names = "--zero-init-residual", description = "Zero-initialise the last BatchNorm of every residual block.")
    boolean zeroInitResidual;

    @Option(names = "--no-validate", description = "Skip the held-out evaluation at the training resolution after each epoch.")
    boolean noValidate;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output directory.")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing checkpoint in DIR.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(out.resolve(Checkpoint.CARD_FILE)) && !force) {
            throw new IllegalArgumentException("--out " + out + " already holds a checkpoint; use --force to overwrite it");
        }
        SgdConfig sgd = new SgdConfig(epochs, batchSize, lr, momentum, weightDecay,
                LearningRateSchedule.parse(schedule), engine.seed(), engine.threads());
        FromScratchTraining.Request request = new FromScratchTraining.Request(architecture, width, trainRes,
                TrainAugmentation.parse(trainAug), colorJitter, zeroInitResidual, sgd, !noValidate);
        DataSplits splits = data.load(engine.seed());
        System.err.printf("fixres train: %s at %d px (%s) on %s: %d train / %d test images%n",
                architecture, trainRes, trainAug, splits.name(), splits.train().size(), splits.test().size());

        Files.createDirectories(out);
        Path metricsFile = out.resolve("metrics.jsonl");
        Path partial = out.resolve("metrics.jsonl.partial");
        Files.deleteIfExists(partial);
        try (Model model = Model.newInstance("fixres")) {
            FromScratchTraining.Result result = FromScratchTraining.run(model, request, splits,
                    new TrainingProgressBar("train"), m -> {
                        System.out.println(TrainingProgressBar.summary(m));
                        try {
                            Json.appendLine(partial, m);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
            Checkpoint.save(out, result.net(), result.card());
            Files.move(partial, metricsFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        System.out.println("wrote " + out.resolve(Checkpoint.PARAMS_FILE) + ", " + out.resolve(Checkpoint.CARD_FILE)
                + ", " + metricsFile);
        return 0;
    }
}
