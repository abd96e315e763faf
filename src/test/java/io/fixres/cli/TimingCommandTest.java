package io.fixres.cli;

import io.fixres.testing.TinyModels;

import io.fixres.testing.CliRun;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fixres.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimingCommandTest {
    @TempDir Path tmp;

    @Test
    void printsTable7ForAnArchitectureWithAccuracies() throws Exception {
        Path accuracy = Files.writeString(tmp.resolve("acc.json"),
                "[{\"train_res\": 8, \"test_res\": 8, \"finetuned\": false, \"top1\": 61.5},"
                        + " {\"train_res\": 8, \"test_res\": 12, \"finetuned\": true, \"top1\": 64.25}]");
        Path json = tmp.resolve("t.json");
        CliRun run = CliRun.of("timing", "--model", "resnet-small", "--train-res", "8",
                "--test-res", "8,12", "--batch-size", "2", "--warmup", "0", "--repeats", "2", "--epochs", "1",
                "--ft-epochs", "1", "--images", "100", "--accuracy", accuracy.toString(), "--threads", "1",
                "--json", json.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("resnet-small on cpu()").contains("1 threads")
                .contains("train batch 2, fine-tuning batch 4").contains("total (min)").contains("top-1 (%)")
                .contains("61.5").contains("64.3");
        JsonNode node = Json.mapper().readTree(json.toFile());
        assertThat(node.get("threads").asInt()).isEqualTo(1);
        assertThat(node.get("training")).hasSize(1);
        assertThat(node.get("fine_tuning")).hasSize(2);
        assertThat(node.get("fine_tuning").get(1).get("batch_size").asInt()).isEqualTo(4);
        assertThat(node.get("fine_tuning").get(1).get("forward").get("repeats").asInt()).isEqualTo(2);
        // rows: 8/8 without fine-tuning, 8/12 with (8 px is the train resolution: no fine-tuning row)
        assertThat(node.get("rows")).hasSize(2);
        assertThat(node.get("rows").get(1).get("fine_tune").get("resolution").asInt()).isEqualTo(12);
    }

    @Test
    void timesACheckpointAndRefusesArchitectureOptionsForIt() throws Exception {
        Path model = TinyModels.checkpoint(tmp.resolve("m"), 24);
        CliRun run = CliRun.of("timing", "--model", model.toString(), "--train-res", "8",
                "--batch-size", "2", "--warmup", "0", "--repeats", "1", "--threads", "1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("resnet-small on cpu()").contains("total (h)").doesNotContain("top-1");
        CliRun refused = CliRun.of("timing", "--model", model.toString(), "--classes", "3", "--train-res", "8");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("--classes and --channels apply to an architecture");
    }

    @Test
    void unknownModelNamesBothReadings() {
        CliRun run = CliRun.of("timing", "--model", "resnet5", "--train-res", "8");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("--model resnet5 is neither a checkpoint directory nor an architecture");
    }
}
