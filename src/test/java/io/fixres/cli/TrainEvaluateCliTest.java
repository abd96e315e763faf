package io.fixres.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fixres.io.Json;
import io.fixres.testing.CliRun;
import io.fixres.testing.TinyDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end through the CLI on a tiny IDX dataset: train, evaluate, and the failures users hit. */
class TrainEvaluateCliTest {
    @TempDir static Path tmp;
    static Path data;
    static Path run;
    static CliRun train;

    @BeforeAll
    static void trainOnce() throws Exception {
        data = TinyDatasets.idxDirectory(tmp.resolve("idx"), 256, 64, 4, 7);
        run = tmp.resolve("run");
        train = CliRun.of("train", "--data", data.toString(), "--train-res", "20", "--epochs", "3", "--train-aug", "resize-crop",
                "--batch-size", "32", "--lr", "0.05", "--threads", "1", "--out", run.toString());
    }

    @Test
    void trainWritesCheckpointCardAndOneMetricsLinePerEpoch() throws Exception {
        assertThat(train.exitCode()).as(train.err()).isZero();
        assertThat(run.resolve("model.params")).isRegularFile();
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertThat(lines).hasSize(3);
        JsonNode card = Json.mapper().readTree(run.resolve("model.json").toFile());
        assertThat(card.get("architecture").asText()).isEqualTo("resnet-small");
        // MNIST-family IDX directories keep the ten classes "0".."9" even when fewer labels occur.
        assertThat(card.get("num_classes").asInt()).isEqualTo(10);
        assertThat(card.get("input_channels").asInt()).isEqualTo(1);
        assertThat(card.get("train_resolution").asInt()).isEqualTo(20);
        assertThat(card.get("train_augmentation").asText()).isEqualTo("resize-crop");
        assertThat(card.get("test_crop_ratio").asDouble()).isEqualTo(0.875);
        try (var files = Files.list(run)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("model.params", "model.json", "metrics.jsonl");
        }
    }

    @Test
    void evaluateReportsEveryResolutionInPercentAsJson() throws Exception {
        Path json = tmp.resolve("eval.json");
        CliRun eval = CliRun.of("evaluate", "--model", run.toString(), "--data", data.toString(),
                "--test-res", "16-24:4", "--threads", "1", "--json", json.toString());
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        JsonNode results = Json.mapper().readTree(json.toFile()).get("results");
        assertThat(results).hasSize(3);
        assertThat(results.get(0).get("test_res").asInt()).isEqualTo(16);
        assertThat(results.get(2).get("test_res").asInt()).isEqualTo(24);
        for (JsonNode r : results) {
            assertThat(r.get("images").asInt()).isEqualTo(64);
            assertThat(r.get("top1").asDouble()).isBetween(0.0, 100.0);
            // 4 classes: top-5 covers every class.
            assertThat(r.get("top5").asDouble()).isEqualTo(100.0);
        }
        assertThat(eval.out()).contains("test res").contains("best: test");
    }

    @Test
    void trainedModelLearnedTheTinyTask() throws Exception {
        Path json = tmp.resolve("eval20.json");
        CliRun eval = CliRun.of("evaluate", "--model", run.toString(), "--data", data.toString(),
                "--test-res", "20", "--threads", "1", "--json", json.toString());
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        // Chance is 25%; the bars are trivially separable.
        assertThat(Json.mapper().readTree(json.toFile()).get("results").get(0).get("top1").asDouble()).isGreaterThan(60.0);
    }

    @Test
    void missingDataPathNamesThePath() {
        CliRun r = CliRun.of("evaluate", "--model", run.toString(), "--data", tmp.resolve("nowhere").toString(),
                "--test-res", "24", "--threads", "1");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("nowhere");
    }

    @Test
    void resolutionBelowTheStrideIsRefused() {
        CliRun r = CliRun.of("evaluate", "--model", run.toString(), "--data", data.toString(),
                "--test-res", "3", "--threads", "1");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("--test-res must be in [4, 4096] px for resnet-small (4 px: one cell of its final"
                + " 4-pixel-stride feature map; 4096 px: fixres's limit), got 3");
    }

    @Test
    void directoryWithoutCardIsNotACheckpoint() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliRun r = CliRun.of("evaluate", "--model", empty.toString(), "--data", data.toString(), "--test-res", "24");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("model.json");
    }

    @Test
    void unknownAugmentationAndMissingRequiredFlagsAreUsageErrors() {
        CliRun aug = CliRun.of("train", "--data", data.toString(), "--train-aug", "mixup", "--out", tmp.resolve("x").toString());
        assertThat(aug.exitCode()).isEqualTo(2);
        assertThat(aug.err()).contains("Invalid value for option '--train-aug': expected one of rrc, resize-crop, got 'mixup'");
        CliRun noOut = CliRun.of("train", "--data", data.toString());
        assertThat(noOut.exitCode()).isEqualTo(2);
        assertThat(noOut.err()).contains("--out");
    }

    @Test
    void divergingTrainingStopsOnNanLossAndWritesNoCheckpoint() {
        Path out = tmp.resolve("nan");
        CliRun r = CliRun.of("train", "--data", data.toString(), "--train-res", "16", "--epochs", "1",
                "--batch-size", "32", "--lr", "1e30", "--threads", "1", "--out", out.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).containsPattern("loss became (NaN|Infinity)");
        assertThat(out.resolve("model.json")).doesNotExist();
        assertThat(out.resolve("model.params")).doesNotExist();
        assertThat(out.resolve("metrics.jsonl")).doesNotExist();
    }

    @Test
    void existingCheckpointIsNotOverwrittenWithoutForce() {
        CliRun r = CliRun.of("train", "--data", data.toString(), "--out", run.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("--force");
    }
}
