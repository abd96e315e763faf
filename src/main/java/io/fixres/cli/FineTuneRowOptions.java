package io.fixres.cli;

import io.fixres.data.DataSplits;
import io.fixres.eval.ClassifierFineTuning;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The fine-tuning rows of {@code adapt --table4} (issue 3's fine-tuning library). */
final class FineTuneRowOptions {
    @Option(names = "--ft-epochs", paramLabel = "E", description = "Fine-tuning epochs of the FT rows (default: the fine-tuning library's).")
    Integer epochs;

    @Option(names = "--ft-lr", paramLabel = "LR", description = "Fine-tuning learning rate of the FT rows (default: the fine-tuning library's).")
    Float learningRate;

    @Option(names = "--ft-batch-size", paramLabel = "B", description = "Fine-tuning batch size of the FT rows (default: the fine-tuning library's).")
    Integer batchSize;

    @Option(names = "--ft-bn", paramLabel = "MODE", defaultValue = "stats",
            description = "Last BatchNorm in the \"FT classifier + BN\" row: stats (the published code, default) or affine.")
    String bn;

    @Option(names = "--ft-da", paramLabel = "DA", defaultValue = "test",
            description = "Fine-tuning augmentation of the FT rows: train, test (default) or test2.")
    String augmentation;

    /** Fine-tunes a fresh copy of the checkpoint in {@code dir} per row and resolution. */
    ClassifierFineTuning rows(Path dir, DataSplits splits, EngineOptions engine) {
        throw new IllegalStateException("--table4 needs the fine-tuning library (issue 3), which is not merged yet");
    }
}
