package io.fixres.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fixres.testing.CliRun;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.fixres.model.ModelCard;
import io.fixres.model.StateDictFile;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportExportCommandTest {
    @TempDir
    Path tmp;

    private static Path fixture(String name) throws Exception {
        return Path.of(ImportExportCommandTest.class.getResource("/parity/" + name).toURI());
    }

    private CliRun importSmall(Path weights, Path out, String... extra) {
        String[] base = {"import", "--weights", weights.toString(), "--model", "resnet-small",
            "--mean", "0.286", "--std", "0.353", "--train-res", "28", "--out", out.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRun.of(args);
    }

    @Test
    void importThenExportRoundTripsTheTensors() throws Exception {
        Path classes = tmp.resolve("classes.txt");
        Files.writeString(classes, String.join("\n", "c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9") + "\n");
        Path dir = tmp.resolve("small");
        CliRun imported = importSmall(fixture("resnet-small.safetensors"), dir, "--classes", classes.toString());
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("92 tensors, resnet-small, 10 classes, 1 input channels, 696,042 parameters")
                .contains("note: ignored 15 num_batches_tracked counters")
                .contains("wrote " + dir.resolve("model.params") + ", " + dir.resolve("model.json"));
        ModelCard card = ModelCard.read(dir.resolve("model.json"));
        assertThat(card.getTrainResolution()).isEqualTo(28);
        assertThat(card.getMean()).containsExactly(0.286);
        assertThat(card.getClassNames()).startsWith("c0", "c1").hasSize(10);

        Path exported = tmp.resolve("back.safetensors");
        CliRun export = CliRun.of("export", "--model", dir.toString(), "--out", exported.toString());
        assertThat(export.exitCode()).as(export.err()).isZero();
        assertThat(export.out()).isEqualTo("wrote " + exported + ": 77 tensors of resnet-small (10 classes, 1 input channels)"
                + System.lineSeparator());
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> original = StateDictFile.read(manager, fixture("resnet-small.safetensors"));
            Map<String, NDArray> back = StateDictFile.read(manager, exported);
            original.keySet().removeIf(k -> k.endsWith("num_batches_tracked"));
            assertThat(back.keySet()).containsExactlyInAnyOrderElementsOf(original.keySet());
            original.forEach((k, v) -> assertThat(back.get(k).toFloatArray()).as(k).isEqualTo(v.toFloatArray()));
        }
    }

    @Test
    void aMissingKeyFailsWithExitCode1NamingIt() throws Exception {
        Path edited = tmp.resolve("edited.safetensors");
        try (NDManager manager = NDManager.newBaseManager(); OutputStream out = Files.newOutputStream(edited)) {
            LinkedHashMap<String, NDArray> tensors = StateDictFile.read(manager, fixture("resnet-small.safetensors"));
            tensors.remove("layer3.1.conv2.weight");
            StateDictFile.writeSafetensors(tensors, out);
        }
        CliRun run = importSmall(edited, tmp.resolve("out"));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("fixres import: error: " + edited + " does not match resnet-small")
                .contains("missing tensors [layer3.1.conv2.weight]")
                .doesNotContain("\tat "); // an expected failure: no stack trace
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void aPthFileIsRefusedWithTheConversionRecipe() throws Exception {
        Path pth = tmp.resolve("resnet50.pth");
        Files.write(pth, new byte[] {(byte) 0x80, 2, 0, 0, 0, 0, 0, 0, 0, 0});
        CliRun run = CliRun.of("import", "--weights", pth.toString(), "--model", "resnet50", "--out", tmp.resolve("o").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("looks like a PyTorch pickle (.pth)")
                .contains("from safetensors.torch import save_file");
    }

    @Test
    void meanWithoutStdAndAnExistingCheckpointAreRefused() throws Exception {
        CliRun half = CliRun.of("import", "--weights", fixture("resnet-small.safetensors").toString(),
                "--model", "resnet-small", "--mean", "0.5", "--out", tmp.resolve("o").toString());
        assertThat(half.exitCode()).isEqualTo(1);
        assertThat(half.err()).contains("give both --mean and --std, or neither (ImageNet's)");

        Path dir = tmp.resolve("small");
        assertThat(importSmall(fixture("resnet-small.safetensors"), dir).exitCode()).isZero();
        CliRun again = importSmall(fixture("resnet-small.safetensors"), dir);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("--out " + dir + " already holds a checkpoint; use --force to overwrite it");
        assertThat(importSmall(fixture("resnet-small.safetensors"), dir, "--force").exitCode()).isZero();
    }

    @Test
    void exportWantsASafetensorsNameAndRefusesToOverwrite() throws Exception {
        Path dir = tmp.resolve("small");
        assertThat(importSmall(fixture("resnet-small.safetensors"), dir).exitCode()).isZero();
        CliRun wrongName = CliRun.of("export", "--model", dir.toString(), "--out", tmp.resolve("w.pth").toString());
        assertThat(wrongName.exitCode()).isEqualTo(1);
        assertThat(wrongName.err()).contains("must end in .safetensors");
        Path out = tmp.resolve("w.safetensors");
        Files.writeString(out, "keep me");
        CliRun exists = CliRun.of("export", "--model", dir.toString(), "--out", out.toString());
        assertThat(exists.exitCode()).isEqualTo(1);
        assertThat(Files.readString(out)).isEqualTo("keep me");
    }
}
