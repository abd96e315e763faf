package io.fixres.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fixres.train.LastBatchNormFineTuner;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FineTuneOptionsTest {
    @picocli.CommandLine.Command(name = "probe")
    static final class Probe {
        @CommandLine.Mixin FineTuneOptions options;
        @CommandLine.Mixin EngineOptions engine;
    }

    @Test
    void defaultsAreTheLibrarysDefaultFineTuningSgd() {
        Probe probe = CommandLine.populateCommand(new Probe(), "--seed", "7", "--threads", "3");
        assertThat(probe.options.sgd(probe.engine)).isEqualTo(LastBatchNormFineTuner.defaultSgd(7, 3));
    }

    @Test
    void flagsOverrideEachSetting() {
        Probe probe = CommandLine.populateCommand(new Probe(), "--epochs", "5", "--batch-size", "64", "--lr", "0.05",
                "--momentum", "0.8", "--weight-decay", "0", "--schedule", "cosine");
        var sgd = probe.options.sgd(probe.engine);
        assertThat(sgd.epochs()).isEqualTo(5);
        assertThat(sgd.batchSize()).isEqualTo(64);
        assertThat(sgd.learningRate()).isEqualTo(0.05f);
        assertThat(sgd.momentum()).isEqualTo(0.8f);
        assertThat(sgd.weightDecay()).isZero();
        assertThat(sgd.schedule().id()).isEqualTo("cosine");
    }
}
