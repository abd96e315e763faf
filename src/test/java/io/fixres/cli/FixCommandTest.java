package io.fixres.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fixres.io.Json;
import io.fixres.model.Checkpoint;
import io.fixres.testing.CliRun;
import io.fixres.testing.TinyDatasets;
import io.fixres.testing.TinyModels;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fixres fix end to end on tiny IDX data, a folder of unlabelled PNGs, and bad input. */
class FixCommandTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path data;

    @BeforeAll
    static void setUp() throws Exception {
        model = TinyModels.checkpoint(dir.resolve("model"), 16);
        data = TinyDatasets.idxDirectory(dir.resolve("data"), 120, 60, 10, 3);
    }

    @Test
    void fixWritesTheFixedCheckpointItsReportAndTheExport() throws Exception {
        Path out = dir.resolve("fixed");
        Path export = dir.resolve("fixed.safetensors");
        CliRun run = CliRun.of("fix", "--model", model.toString(), "--data", data.toString(), "--out", out.toString(),
                "--probe", "4", "--batch-size", "32", "--threads", "2", "--export", export.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = Json.mapper().readTree(out.resolve("fix.json").toFile());
        int chosen = report.get("chosen_res").asInt();
        assertThat(report.get("probes").size()).isBetween(2, 4);
        assertThat(report.get("chosen_by").asText()).isEqualTo("measured");
        assertThat(report.get("held_out_images").get("images").asLong()).isEqualTo(60);
        assertThat(report.get("gain_over_train_res").get("verdict").asText())
                .isIn("better", "worse", "no significant difference");
        JsonNode card = Json.mapper().readTree(out.resolve(Checkpoint.CARD_FILE).toFile());
        assertThat(card.get("recommended_test_resolution").asInt()).isEqualTo(chosen);
        assertThat(card.get("fine_tunings").get(0).get("method").asText()).isEqualTo("cached");
        assertThat(run.out()).contains(chosen + " px").contains("wrote " + out.resolve(Checkpoint.PARAMS_FILE));
        assertThat(run.err()).contains("fixres fix: probe round 1: 16, 20, 24, 28 px on 60 held-out images");
        assertThat(export).isRegularFile();
        assertThat(Files.readString(out.resolve("fix.md"))).contains("## Decision").contains("fix-accuracy.png");

        CliRun again = CliRun.of("fix", "--model", model.toString(), "--data", data.toString(), "--out", out.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains(out + " already holds a checkpoint; use --force to overwrite it");
    }

    @Test
    void labelFreeOnAnUnlabelledFolderWithoutValSaysSoAndUsesThePredictionAlone() throws Exception {
        Path rgb = TinyModels.rgbCheckpoint(dir.resolve("rgb-model"), 16);
        Path folder = Files.createDirectories(dir.resolve("unlabelled"));
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 12; i++) {
            BufferedImage image = new BufferedImage(30 + i, 26, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    image.setRGB(x, y, random.nextInt(1 << 24));
                }
            }
            ImageIO.write(image, "png", folder.resolve("img" + i + ".png").toFile());
        }
        Path out = dir.resolve("label-free");
        CliRun run = CliRun.of("fix", "--model", rgb.toString(), "--data", folder.toString(), "--out", out.toString(),
                "--label-free", "--batch-size", "4", "--threads", "2");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("holds unlabelled images and no --val was given: accuracy cannot be measured, "
                + "so the apparent-size prediction alone chooses the resolution");
        JsonNode report = Json.mapper().readTree(out.resolve("fix.json").toFile());
        assertThat(report.get("chosen_by").asText()).isEqualTo("prediction");
        assertThat(report.get("chosen_res").asInt()).isEqualTo(20);
        assertThat(report.get("method").asText()).isEqualTo("recalibrate-last");
        assertThat(report.get("probes").size()).isZero();
        assertThat(report.has("gain_over_train_res")).isFalse();
        assertThat(report.get("latency").size()).isEqualTo(2); // the training and the chosen resolution
        assertThat(run.out()).contains("20 px is the apparent-size prediction alone");
        assertThat(Files.readString(out.resolve("fix.html"))).contains("Latency by test resolution");
        JsonNode card = Json.mapper().readTree(out.resolve(Checkpoint.CARD_FILE).toFile());
        assertThat(card.get("fine_tunings").get(0).get("method").asText()).isEqualTo("recalibrate");
    }

    @Test
    void badInputFailsWithAMessageNamingTheFlagAndWritesNothing() {
        Path out = dir.resolve("bad");
        CliRun noData = CliRun.of("fix", "--model", model.toString(), "--out", out.toString());
        assertThat(noData.exitCode()).isEqualTo(2);
        assertThat(noData.err()).contains("Missing required option: '--data=D'");

        CliRun probe = CliRun.of("fix", "--model", model.toString(), "--data", data.toString(), "--out", out.toString(),
                "--probe", "0");
        assertThat(probe.exitCode()).isEqualTo(1);
        assertThat(probe.err()).contains("--probe must be >= 2 (the training resolution and at least one candidate), got 0");

        CliRun budget = CliRun.of("fix", "--model", model.toString(), "--data", data.toString(), "--out", out.toString(),
                "--budget-ms", "0.000001", "--threads", "2");
        assertThat(budget.exitCode()).isEqualTo(1);
        assertThat(budget.err()).contains("--budget-ms cannot be met: even ")
                .contains("px, the smallest useful resolution, takes");

        CliRun both = CliRun.of("fix", "--model", model.toString(), "--weights", "w.safetensors", "--data",
                data.toString(), "--out", out.toString());
        assertThat(both.err()).contains("give exactly one of --model DIR");

        CliRun noArch = CliRun.of("fix", "--weights", "w.safetensors", "--data", data.toString(), "--out", out.toString());
        assertThat(noArch.err()).contains("--weights needs --arch");

        CliRun export = CliRun.of("fix", "--model", model.toString(), "--data", data.toString(), "--out", out.toString(),
                "--export", "weights.pt");
        assertThat(export.err()).contains("--export must end in .safetensors (the format written), got weights.pt");

        CliRun missing = CliRun.of("fix", "--model", dir.resolve("nowhere").toString(), "--data", data.toString(),
                "--out", out.toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains(dir.resolve("nowhere") + " has no model.json");
        assertThat(out.resolve(Checkpoint.CARD_FILE)).doesNotExist();
    }
}
