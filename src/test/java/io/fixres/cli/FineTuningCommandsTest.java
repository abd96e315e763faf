package io.fixres.cli;

import io.fixres.data.DatasetResolver;
import io.fixres.testing.CliRun;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import io.fixres.model.ModelCard;
import io.fixres.io.Json;
import io.fixres.train.FromScratchTraining;
import io.fixres.train.LearningRateSchedule;
import io.fixres.train.RunDirectory;
import io.fixres.train.SgdConfig;
import io.fixres.testing.TinyData;
import io.fixres.train.TrainingProgress;
import io.fixres.transform.TrainAugmentation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** finetune, grid and ablation end to end on tiny IDX data with a tiny model trained here. */
class FineTuningCommandsTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path model;

    @BeforeAll
    static void trainTinyModel() throws Exception {
        Engine.getInstance().setRandomSeed(2);
        data = TinyData.writeIdx(dir.resolve("data"), 32, 12);
        model = dir.resolve("model");
        // trained on the IDX directory the commands read, so the model has that data set's classes ("0".."9"):
        // a model and data whose class counts differ are refused
        RunDirectory.train(model, TinyData.trainingRequest(), DatasetResolver.standard().resolve(data.toString()), false,
                TrainingProgress.NONE, m -> { });
    }

    static CliRun fixres(String... args) {
        return CliRun.of(args);
    }

    @Test
    void finetuneWritesACheckpointWhoseCardRecordsTheFineTuningAndTheStepTimes() throws Exception {
        Path out = dir.resolve("tuned");
        CliRun run = fixres("finetune", "--model", model.toString(), "--data", data.toString(), "--test-res", "20",
                "--bn", "affine", "--da", "test2", "--epochs", "2", "--batch-size", "16", "--lr", "0.02",
                "--timing-steps", "2", "--threads", "1", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("top-1 at 20 px: ", "% before, ", "% after fine-tuning",
                "step time at 20 px, batch 16: fine-tuning (bn affine) ", "full training ", "epoch 2: loss ");

        ModelCard card = ModelCard.read(out.resolve("model.json"));
        assertThat(card.getRecommendedTestResolution()).isEqualTo(20);
        assertThat(card.getFineTunings()).hasSize(1);
        ModelCard.FineTuning tuning = card.getFineTunings().get(0);
        assertThat(tuning.testResolution()).isEqualTo(20);
        assertThat(tuning.bnMode()).isEqualTo("affine");
        assertThat(tuning.dataAugmentation()).isEqualTo("test2");
        assertThat(tuning.epochs()).isEqualTo(2);
        assertThat(tuning.lr()).isEqualTo(0.02f);
        assertThat(out.resolve("model.params")).isRegularFile();

        JsonNode json = Json.mapper().readTree(out.resolve(FinetuneCommand.RESULT_FILE).toFile());
        assertThat(json.get("test_res").asInt()).isEqualTo(20);
        assertThat(json.get("before").get("images").asInt()).isEqualTo(12);
        assertThat(json.get("after").get("top1").asDouble()).isEqualTo(tuning.accuracyAfter());
        assertThat(json.get("history")).hasSize(2);
        assertThat(json.get("step_time").get("fine_tuning").get("forward").get("repeats").asInt()).isEqualTo(2);
        assertThat(json.get("step_time").get("bn").asText()).isEqualTo("affine");
        assertThat(json.get("step_time").get("full_training").get("backward").get("mean_ms").asDouble()).isPositive();
        assertThat(json.get("step_time_speedup").asDouble()).isPositive();

        // a fine-tuned checkpoint is a checkpoint: fine-tuning it again appends to its history
        Path twice = dir.resolve("tuned-twice");
        CliRun again = fixres("finetune", "--model", out.toString(), "--data", data.toString(), "--test-res", "16",
                "--epochs", "1", "--batch-size", "16", "--timing-steps", "0", "--out", twice.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(ModelCard.read(twice.resolve("model.json")).getFineTunings())
                .extracting(ModelCard.FineTuning::testResolution).containsExactly(20, 16);
        assertThat(ModelCard.read(twice.resolve("model.json")).getRecommendedTestResolution()).isEqualTo(16);
    }

    @Test
    void theCachedMethodFineTunesInOnePassAndRecordsItsMethodAndTime() throws Exception {
        Path out = dir.resolve("cached");
        CliRun run = fixres("finetune", "--model", model.toString(), "--data", data.toString(), "--test-res", "20",
                "--method", "cached", "--epochs", "4", "--batch-size", "8", "--timing-steps", "0", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("cached fine-tuning");
        JsonNode json = Json.mapper().readTree(out.resolve(FinetuneCommand.RESULT_FILE).toFile());
        assertThat(json.get("method").asText()).isEqualTo("cached");
        assertThat(json.get("seconds").asDouble()).isPositive();
        assertThat(json.get("history")).hasSize(4);
        ModelCard.FineTuning tuning = ModelCard.read(out.resolve("model.json")).getFineTunings().get(0);
        assertThat(tuning.method()).isEqualTo(ModelCard.FineTuningMethod.CACHED);
        assertThat(out.resolve("features.tmp")).doesNotExist();

        CliRun sgd = fixres("finetune", "--model", model.toString(), "--data", data.toString(), "--test-res", "20",
                "--epochs", "1", "--batch-size", "8", "--timing-steps", "0", "--out", dir.resolve("sgd").toString());
        assertThat(Json.mapper().readTree(dir.resolve("sgd").resolve(FinetuneCommand.RESULT_FILE).toFile())
                .get("method").asText()).isEqualTo("sgd");

        CliRun random = fixres("finetune", "--model", model.toString(), "--data", data.toString(), "--test-res", "20",
                "--method", "cached", "--da", "train", "--out", dir.resolve("never").toString());
        assertThat(random.exitCode()).isEqualTo(1);
        assertThat(random.err()).contains("--method cached: the one-pass fine-tuning needs the test augmentation");
        assertThat(dir.resolve("never")).doesNotExist();
    }

    @Test
    void recalibrateReestimatesStatisticsWithoutLabelsAndMeasuresBeforeAndAfter() throws Exception {
        Path out = dir.resolve("recalibrated");
        CliRun run = fixres("recalibrate", "--model", model.toString(), "--data", data.toString(), "--test-res", "12",
                "--layers", "all", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("top-1 at 12 px:").contains("after recalibrating all").contains("no label read");
        JsonNode json = Json.mapper().readTree(out.resolve(RecalibrateCommand.RESULT_FILE).toFile());
        assertThat(json.get("layers").asText()).isEqualTo("all");
        assertThat(json.get("images").asInt()).isEqualTo(32);
        assertThat(json.get("before").get("images").asInt()).isEqualTo(12);
        ModelCard card = ModelCard.read(out.resolve("model.json"));
        assertThat(card.getFineTunings().get(0).method()).isEqualTo(ModelCard.FineTuningMethod.RECALIBRATE);
        assertThat(card.getRecommendedTestResolution()).isEqualTo(12);

        CliRun tooSmall = fixres("recalibrate", "--model", model.toString(), "--data", data.toString(), "--test-res", "2",
                "--out", dir.resolve("never").toString());
        assertThat(tooSmall.exitCode()).isEqualTo(1);
        assertThat(tooSmall.err()).contains("--test-res must be in [4, 4096] px for resnet-small");
        assertThat(tooSmall.err()).contains(", got 2");
    }

    @Test
    void unknownBnModeIsAUsageErrorNamingTheFlag() {
        CliRun run = fixres("finetune", "--model", model.toString(), "--test-res", "20", "--bn", "frozen",
                "--out", dir.resolve("never").toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for option '--bn': expected one of none, stats, affine, got 'frozen'");
        assertThat(dir.resolve("never")).doesNotExist();
    }

    @Test
    void aDirectoryWithoutACardFailsNamingTheMissingFile() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("no-card"));
        CliRun run = fixres("finetune", "--model", empty.toString(), "--data", data.toString(), "--test-res", "20",
                "--out", dir.resolve("never").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("fixres finetune: error: " + empty + " has no model.json: not a fixres checkpoint");
    }

    @Test
    void aTestResolutionBelowTheNetworksMinimumFailsBeforeAnyWork() {
        CliRun run = fixres("finetune", "--model", model.toString(), "--data", data.toString(), "--test-res", "3",
                "--out", dir.resolve("never").toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("fixres finetune: error: --test-res must be in [4, 4096] px for resnet-small");
        assertThat(dir.resolve("never")).doesNotExist();
    }

    @Test
    void gridWritesBothTablesAsJsonAndMarkdownWithTheCommand() throws Exception {
        Path out = dir.resolve("grid");
        CliRun run = fixres("grid", "--data", data.toString(), "--train-res", "16", "--test-res", "12,20",
                "--finetune", "--width", "0.25", "--epochs", "1", "--batch-size", "16", "--no-validate",
                "--ft-epochs", "1", "--ft-batch-size", "16", "--threads", "1", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("[1/5] train " + out.resolve("runs").resolve("rrc-16"),
                "[5/5] fine-tune " + out.resolve("runs").resolve("rrc-16") + " at 20 px");
        String markdown = Files.readString(out.resolve("grid.md"));
        assertThat(markdown).startsWith("# Train/test resolution grid (rrc, ")
                .contains("fixres grid --data " + data + " --train-res 16")
                .contains("**Top-1, rrc training, no fine-tuning**")
                .contains("**Top-1, rrc training, fine-tuned at the test resolution**")
                .contains("| test \\\\ train |");
        JsonNode json = Json.mapper().readTree(out.resolve("grid.json").toFile());
        assertThat(json.get("cells")).hasSize(2);
        assertThat(json.get("cells").get(1).get("finetuned").get("test_res").asInt()).isEqualTo(20);
        assertThat(Files.readAllLines(out.resolve("cells.jsonl"))).hasSize(4);
    }

    @Test
    void ablationWritesTables6And8() throws Exception {
        Path out = dir.resolve("ablation");
        CliRun run = fixres("ablation", "--model", model.toString(), "--data", data.toString(), "--test-res", "20",
                "--epochs", "1", "--batch-size", "16", "--threads", "1", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        String markdown = Files.readString(out.resolve("ablation.md"));
        assertThat(markdown).contains("| Train resolution | Classifier | Batch-norm      | Data aug. | Method        |",
                "| 16               | -          | -               | n/a       | -             |",
                "Top-1 test DA (%)", "Top-1 test DA2 (%)", "fixres ablation --model " + model);
        JsonNode json = Json.mapper().readTree(out.resolve("ablation.json").toFile());
        assertThat(json.get("finetuned").fieldNames()).toIterable().containsExactly("classifier/train",
                "classifier/test", "classifier+bn/train", "classifier+bn/test", "classifier+bn/test2",
                "cached/classifier+bn/test", "recalibrate-last", "recalibrate-all");
        assertThat(json.get("no_finetuning").get("20").get("images").asInt()).isEqualTo(12);
    }
}
