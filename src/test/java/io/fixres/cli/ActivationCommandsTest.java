package io.fixres.cli;

import io.fixres.testing.CliRun;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.fixres.model.Checkpoint;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import io.fixres.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fit, adapt and evaluate end to end on a random narrow network and a tiny IDX data set written here. */
class ActivationCommandsTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Path model;

    @BeforeAll
    static void setUp() throws IOException {
        data = tmp.resolve("idx");
        writeSplit(data, "train", 40, 1);
        writeSplit(data, "t10k", 20, 2);
        model = tmp.resolve("model");
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet net = ResNet.builder().architecture("resnet-small").numClasses(10).inputChannels(1)
                    .widthMultiplier(0.25).build();
            net.initialize(manager, 16);
            ModelCard card = ModelCard.forModel(net);
            card.setMean(new double[] {0.3});
            card.setStd(new double[] {0.3});
            card.setTrainResolution(16);
            card.setTrainAugmentation(io.fixres.transform.TrainAugmentation.RRC);
            Checkpoint.save(model, net, card);
        }
    }

    /** 28x28 images of seeded noise with a label-dependent bright band, labels i % 10. */
    private static void writeSplit(Path dir, String prefix, int n, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] pixels = new byte[n * 28 * 28];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
            for (int p = 0; p < 28 * 28; p++) {
                pixels[i * 784 + p] = (byte) (rng.nextInt(80) + (p / 28 / 3 == i % 10 ? 170 : 0));
            }
        }
        Files.createDirectories(dir);
        io.fixres.testing.TinyDatasets.writeIdxSplit(dir, prefix, 28, pixels, labels);
    }


    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static String[] common(String command, String... rest) {
        String[] head = {command, "--model", model.toString(), "--data", data.toString(), "--threads", "1",
            "--batch-size", "16"};
        String[] all = new String[head.length + rest.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(rest, 0, all, head.length, rest.length);
        return all;
    }

    @Test
    void fitWritesOneFitPerResolutionAndFigure6() throws IOException {
        Path out = tmp.resolve("fit");
        assertThat(run(common("fit", "--test-res", "16,24", "--out", out.toString())).exitCode()).isZero();
        JsonNode json = Json.mapper().readTree(out.resolve("fit.json").toFile());
        assertThat(json.get("fits")).hasSize(2);
        JsonNode first = json.get("fits").get(0);
        assertThat(first.get("test_res").asInt()).isEqualTo(16);
        assertThat(first.get("fit").get("xi").asDouble()).isEqualTo(0.3);
        assertThat(first.get("fit").get("count").asLong()).isEqualTo(20 * 32); // 20 test images x 32 features
        assertThat(first.get("fit").has("max_abs_cdf_error")).isTrue();
        assertThat(Files.readString(out.resolve("fit.md"))).contains("| 16 ").contains("| 24 ");
        byte[] png = Files.readAllBytes(out.resolve("figure6.png"));
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void adaptSavesACheckpointThatEvaluatesAdapted() throws IOException {
        Path results = tmp.resolve("adapt");
        Path adapted = tmp.resolve("adapted");
        CliRun adapt = run(common("adapt", "--method", "gaussian", "--test-res", "24", "--stats-images", "30",
                "--results", results.toString(), "--out", adapted.toString()));
        assertThat(adapt.exitCode()).as(adapt.err()).isZero();
        JsonNode rows = Json.mapper().readTree(results.resolve("adapt.json").toFile()).get("result").get("rows");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).get("row").get("adaptation").asText()).isEqualTo("gaussian");
        double baseline = rows.get(0).get("results").get(0).get("top1").asDouble();
        double adaptedTop1 = rows.get(1).get("results").get(0).get("top1").asDouble();

        ModelCard card = ModelCard.read(adapted.resolve("model.json"));
        assertThat(card.getAdaptations()).hasSize(1);
        assertThat(card.getAdaptations().get(0)).containsEntry("method", "gaussian")
                .containsEntry("reference_resolution", 16).containsEntry("test_resolution", 24)
                .containsEntry("statistics_images", 30).containsEntry("accuracy_after", adaptedTop1);

        Path evalAdapted = tmp.resolve("eval-adapted.json");
        Path evalOriginal = tmp.resolve("eval-original.json");
        assertThat(run("evaluate", "--model", adapted.toString(), "--data", data.toString(), "--threads", "1",
                "--test-res", "24", "--json", evalAdapted.toString()).exitCode()).isZero();
        assertThat(run(common("evaluate", "--test-res", "24", "--json", evalOriginal.toString())).exitCode()).isZero();
        assertThat(Json.mapper().readTree(evalAdapted.toFile()).get("results").get(0).get("top1").asDouble())
                .isEqualTo(adaptedTop1);
        assertThat(Json.mapper().readTree(evalOriginal.toFile()).get("results").get(0).get("top1").asDouble())
                .isEqualTo(baseline);

        CliRun again = run("adapt", "--model", adapted.toString(), "--data", data.toString(), "--test-res", "24");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("already carries an adaptation");
    }

    @Test
    void table4RunsEveryRowWithTheFineTuningLibrary() throws IOException {
        Path results = tmp.resolve("table4");
        CliRun adapt = run(common("adapt", "--table4", "--test-res", "24", "--stats-images", "20", "--ft-epochs", "1",
                "--ft-batch-size", "8", "--results", results.toString()));
        assertThat(adapt.exitCode()).as(adapt.err()).isZero();
        JsonNode rows = Json.mapper().readTree(results.resolve("adapt.json").toFile()).get("result").get("rows");
        assertThat(rows).hasSize(8);
        assertThat(rows.findValuesAsText("name")).containsExactly("baseline", "adapted Fréchet (A.1)",
                "adapted Gaussian (A.2)", "FT classifier", "FT classifier + BN", "adapted Fréchet (A.1) + FT classifier",
                "recalibration of the last BN (no labels)", "recalibration of every BN (no labels)");
        assertThat(rows.get(4).get("row").get("fine_tuning").asText()).isEqualTo("classifier+bn");
        for (JsonNode row : rows) {
            assertThat(row.get("results").get(0).get("images").asInt()).isEqualTo(20);
        }
        assertThat(Files.readString(results.resolve("adapt.md"))).contains("24 px").contains("Gaussian (A.2)");
        assertThat(Files.readAllBytes(results.resolve("adapt.png"))).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void badArgumentsAreNamed() {
        CliRun twoResolutions = run(common("adapt", "--test-res", "16,24", "--out", tmp.resolve("x").toString()));
        assertThat(twoResolutions.exitCode()).isEqualTo(1);
        assertThat(twoResolutions.err()).contains("single --test-res");
        CliRun method = run(common("adapt", "--test-res", "24", "--method", "bogus"));
        assertThat(method.exitCode()).isEqualTo(2);
        assertThat(method.err()).contains("Invalid value for option '--method': expected one of frechet, gaussian, got 'bogus'");
        CliRun split = run(common("fit", "--test-res", "24", "--split", "val"));
        assertThat(split.err()).contains("--split must be test or train");
    }
}
