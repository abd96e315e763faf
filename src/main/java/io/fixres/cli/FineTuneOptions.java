package io.fixres.cli;

import io.fixres.train.LastBatchNormFineTuner;
import io.fixres.train.LearningRateSchedule;
import io.fixres.train.SgdConfig;
import picocli.CommandLine.Option;

/** SGD settings of a FixRes fine-tuning (finetune, ablation); defaults sized for small data. */
public final class FineTuneOptions {
    @Option(names = "--epochs", paramLabel = "E",
            description = "Fine-tuning epochs (default " + LastBatchNormFineTuner.DEFAULT_EPOCHS + "; the paper: ~56 on "
                    + "ImageNet); with --method cached, classifier epochs on the cached features (default "
                    + FineTuneOptions.CACHED_EPOCHS + ").")
    Integer epochs;

    public static final int CACHED_EPOCHS = io.fixres.train.OnePassFineTuner.DEFAULT_CLASSIFIER_EPOCHS;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "" + LastBatchNormFineTuner.DEFAULT_BATCH_SIZE,
            description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "" + LastBatchNormFineTuner.DEFAULT_LEARNING_RATE,
            description = "Initial learning rate (default ${DEFAULT-VALUE}; the paper: 0.008 per 512 images).")
    float lr;

    @Option(names = "--momentum", paramLabel = "M", defaultValue = "" + LastBatchNormFineTuner.DEFAULT_MOMENTUM,
            description = "SGD momentum (default ${DEFAULT-VALUE}).")
    float momentum;

    @Option(names = "--weight-decay", paramLabel = "WD", defaultValue = "1e-4", // LastBatchNormFineTuner.DEFAULT_WEIGHT_DECAY, written as typed
            description = "Weight decay (default ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(names = "--schedule", paramLabel = "S", defaultValue = "step",
            description = "step (default: x0.1 after 1/3 and 2/3 of the run), cosine or constant.")
    LearningRateSchedule schedule;

    SgdConfig sgd(EngineOptions engine) {
        return sgd(engine, LastBatchNormFineTuner.DEFAULT_EPOCHS);
    }

    /** The SGD settings, with {@code defaultEpochs} when --epochs was not given. */
    public SgdConfig sgd(EngineOptions engine, int defaultEpochs) {
        return new SgdConfig(epochs != null ? epochs : defaultEpochs, batchSize, lr, momentum, weightDecay, schedule,
                engine.seed(), engine.threads());
    }
}
