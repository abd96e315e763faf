package io.fixres.cli;

import io.fixres.train.FromScratchTraining;
import io.fixres.train.LearningRateSchedule;
import io.fixres.train.SgdConfig;
import io.fixres.transform.TrainAugmentation;
import picocli.CommandLine.Option;

/** How to train from scratch (everything but the resolution and augmentation): shared by train and grid. */
public final class TrainingOptions {
    @Option(names = "--model", paramLabel = "ARCH", defaultValue = "resnet-small",
            description = "Architecture: resnet-small (default), resnet18, resnet34, resnet50, resnet101.")
    String architecture;

    @Option(names = "--width", paramLabel = "W", defaultValue = "1.0", description = "Width multiplier (default ${DEFAULT-VALUE}).")
    double width;

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
    LearningRateSchedule schedule;

    @Option(names = "--zero-init-residual", description = "Zero-initialise the last BatchNorm of every residual block.")
    boolean zeroInitResidual;

    @Option(names = "--no-validate", description = "Skip the held-out evaluation at the training resolution after each epoch.")
    boolean noValidate;

    String architecture() { return architecture; }

    /** The training request at {@code trainRes} with {@code augmentation}. */
    FromScratchTraining.Request request(int trainRes, TrainAugmentation augmentation, EngineOptions engine) {
        SgdConfig sgd = new SgdConfig(epochs, batchSize, lr, momentum, weightDecay,
                schedule, engine.seed(), engine.threads());
        return new FromScratchTraining.Request(architecture, width, trainRes, augmentation, colorJitter,
                zeroInitResidual, sgd, !noValidate);
    }
}
