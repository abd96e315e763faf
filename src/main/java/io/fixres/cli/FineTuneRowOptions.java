package io.fixres.cli;

import io.fixres.data.DataSplits;
import io.fixres.study.ClassifierFineTuning;
import io.fixres.train.LastBatchNormFineTuner;
import io.fixres.core.LastBatchNormMode;
import io.fixres.train.LastBatchNormFineTuner.FineTuneAugmentation;
import io.fixres.train.SgdConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The fine-tuning rows of {@code adapt --table4}, run with the fine-tuning library: each row and
 * resolution fine-tunes a fresh copy of the checkpoint (its weights are then discarded).
 */
final class FineTuneRowOptions {
    @Option(names = "--ft-epochs", paramLabel = "E", defaultValue = "" + LastBatchNormFineTuner.DEFAULT_EPOCHS,
            description = "Fine-tuning epochs of the FT rows (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--ft-lr", paramLabel = "LR", defaultValue = "" + LastBatchNormFineTuner.DEFAULT_LEARNING_RATE,
            description = "Fine-tuning learning rate of the FT rows (default ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--ft-batch-size", paramLabel = "B", defaultValue = "" + LastBatchNormFineTuner.DEFAULT_BATCH_SIZE,
            description = "Fine-tuning batch size of the FT rows (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--ft-bn", paramLabel = "MODE", defaultValue = "stats",
            description = "Last BatchNorm in the \"FT classifier + BN\" row: stats (default, the published code) or affine.")
    LastBatchNormMode bn;

    @Option(names = "--ft-da", paramLabel = "DA", defaultValue = "test",
            description = "Fine-tuning augmentation of the FT rows: test (default), train or test2.")
    FineTuneAugmentation augmentation;

    /** Fine-tunes a fresh copy of the checkpoint in {@code dir} per row and resolution. */
    ClassifierFineTuning rows(Path dir, DataSplits splits, EngineOptions engine) {
        SgdConfig sgd = new SgdConfig(epochs, batchSize, learningRate, LastBatchNormFineTuner.DEFAULT_MOMENTUM,
                LastBatchNormFineTuner.DEFAULT_WEIGHT_DECAY, LastBatchNormFineTuner.DEFAULT_SCHEDULE,
                engine.seed(), engine.threads());
        return ClassifierFineTuning.freshCopies(dir, splits, new LastBatchNormFineTuner.Recipe(bn, augmentation, sgd),
                TrainingProgressBar::new);
    }
}
