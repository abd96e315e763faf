package io.fixres.cli;

import io.fixres.testing.TinyModels;

import io.fixres.testing.CliRun;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fixres.io.Json;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepCommandTest {
    @TempDir Path tmp;

    @Test
    void sweepsTwoModelsIntoJsonCsvAndOnePlot() throws Exception {
        Path data = CliFixtures.idxDirectory(tmp.resolve("data"), 20);
        Path a = TinyModels.checkpoint(tmp.resolve("a"), 24);
        Path b = TinyModels.checkpoint(tmp.resolve("b"), 24);
        Path out = tmp.resolve("out");

        CliRun run = CliRun.of("sweep", "--model", a.toString(), "--model", b.toString(),
                "--data", data.toString(), "--from", "15", "--to", "18", "--batch-size", "8", "--threads", "1",
                "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("rrc 24px (resnet-small, total stride 4, crop ratio 0.875)")
                .contains("rrc 24px (2) (resnet-small").contains("final map grows at: 17 (4->5)");
        JsonNode json = Json.mapper().readTree(out.resolve("result.json").toFile());
        assertThat(json.get("sweeps")).hasSize(2);
        JsonNode first = json.get("sweeps").get(0);
        assertThat(first.get("points")).hasSize(4);
        assertThat(first.get("points").get(2).get("test_res").asInt()).isEqualTo(17);
        assertThat(first.get("points").get(2).get("feature_map").asInt()).isEqualTo(5);
        assertThat(first.get("points").get(0).get("images").asInt()).isEqualTo(20);
        assertThat(first.get("border_effects").get("change_points").get(0).get("resolution").asInt()).isEqualTo(17);
        assertThat(first.get("border_effects").get("best_aligned").get("test_res").asInt()).isEqualTo(16);
        assertThat(Files.readAllLines(out.resolve("sweep.csv"))).hasSize(1 + 2 * 4)
                .first().isEqualTo("model,test_res,feature_map,top1,top5,images,change_point");
        BufferedImage png = ImageIO.read(out.resolve("sweep.png").toFile());
        assertThat(png.getWidth()).isEqualTo(1000);
        assertThat(png.getHeight()).isEqualTo(560);
    }

    @Test
    void badRangeIsAUsageFailureNamingTheFlags() throws Exception {
        Path a = TinyModels.checkpoint(tmp.resolve("a"), 24);
        CliRun run = CliRun.of("sweep", "--model", a.toString(), "--from", "30", "--to", "20",
                "--out", tmp.resolve("out").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--from <= --to");
        assertThat(tmp.resolve("out")).doesNotExist();
    }
}
