package io.fixres.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fixres.testing.CliRun;
import io.fixres.testing.TinyDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {
    @TempDir Path tmp;

    @Test
    void sideBySideWithoutTorchSaysHowToInstallItAndWritesNothing() throws Exception {
        Path data = TinyDatasets.idxDirectory(tmp.resolve("data"), 64, 64, 10, 1);
        Path json = tmp.resolve("bench.json");
        CliRun run = CliRun.of("bench", "--model", "resnet-small", "--data", data.toString(), "--res", "16",
                "--batch-size", "8", "--seconds", "0.2", "--vs-pytorch", tmp.resolve("no-python").toString(),
                "--json", json.toString());
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains(tmp.resolve("no-python").toString())
                .contains("cannot import torch and torchvision").contains("python3-torch python3-torchvision");
        assertThat(Files.exists(json)).isFalse();
    }
}
