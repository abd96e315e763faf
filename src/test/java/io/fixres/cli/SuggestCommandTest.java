package io.fixres.cli;

import io.fixres.testing.TinyModels;

import io.fixres.testing.CliRun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fixres.io.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuggestCommandTest {
    @TempDir Path tmp;

    @Test
    void train224SuggestsAbout277AndStrideAligned288() {
        CliRun run = CliRun.of("suggest", "--train-res", "224");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("resnet50 total stride 32")
                .contains("E[sigma] closed form (section 3):              0.7082")
                .contains("apparent size ratio r_test/r_train at 224 px:   0.809")
                .contains("equal apparent size at test resolution:        276.7 px -> 277 px, stride-aligned 288 px")
                .contains("E[sigma] 0.6671 -> 293.8 px, stride-aligned 288 px")
                .doesNotContain("Monte Carlo");
    }

    @Test
    void optionsChangeTheAnalysisAndMonteCarloIsPrinted() throws Exception {
        Path json = tmp.resolve("s.json");
        CliRun run = CliRun.of("suggest", "--train-res", "24", "--arch", "resnet-small", "--ratio", "1,1",
                "--crop-ratio", "1", "--monte-carlo", "1000", "--json", json.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        // 24 / 0.7082 = 33.9 -> stride 4: 32; no rejection with ratio 1, so both agree.
        assertThat(run.out()).contains("resnet-small total stride 4").contains("33.9 px -> 34 px, stride-aligned 32 px")
                .contains("E[sigma] 0.7082 -> 33.9 px").contains("(1,000 crops of a 1024 px square image)");
        JsonNode node = Json.mapper().readTree(json.toFile());
        assertThat(node.get("suggestion").get("aligned_test_res").asInt()).isEqualTo(32);
        assertThat(node.get("monte_carlo").get("samples").asInt()).isEqualTo(1000);
    }

    @Test
    void measuresAroundThePredictionWithAModel() throws Exception {
        Path data = CliFixtures.idxDirectory(tmp.resolve("data"), 10);
        Path model = TinyModels.checkpoint(tmp.resolve("m"), 24);
        Path json = tmp.resolve("s.json");
        CliRun run = CliRun.of("suggest", "--model", model.toString(), "--data", data.toString(),
                "--search-strides", "0", "--threads", "1", "--json", json.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("train 24 px").contains("resnet-small total stride 4")
                .contains("measured over 30-31 px: best").contains("predicted 29.7 px, measured");
        JsonNode measured = Json.mapper().readTree(json.toFile()).get("measured");
        assertThat(measured.get("points")).hasSize(2);
        assertThat(measured.get("points").get(0).get("images").asInt()).isEqualTo(10);
    }

    @Test
    void badInputIsRefusedWithTheFlagNamed() {
        CliRun noRes = CliRun.of("suggest");
        assertThat(noRes.exitCode()).isEqualTo(1);
        assertThat(noRes.err()).contains("--train-res is required without --model");
        CliRun badScale = CliRun.of("suggest", "--train-res", "224", "--scale", "0.5");
        assertThat(badScale.exitCode()).isEqualTo(2);
        assertThat(badScale.err()).contains("--scale").contains("expected MIN,MAX");
        CliRun outOfRange = CliRun.of("suggest", "--train-res", "224", "--scale", "0,1");
        assertThat(outOfRange.exitCode()).isEqualTo(1);
        assertThat(outOfRange.err()).contains("0 < min <= max <= 1");
    }

    @Test
    void numberPairsReadDecimalsAndFractions() {
        assertThat(NumberPair.parse("3/4, 4/3")).isEqualTo(new NumberPair(0.75, 4.0 / 3));
        assertThat(NumberPair.parse("0.08,1")).isEqualTo(new NumberPair(0.08, 1));
        assertThatThrownBy(() -> NumberPair.parse("1,0.5")).hasMessageContaining("MIN <= MAX");
        assertThatThrownBy(() -> NumberPair.parse("a,1")).hasMessageContaining("cannot read 'a'");
        assertThatThrownBy(() -> NumberPair.parse("1/0,2")).hasMessageContaining("cannot read '1/0'");
    }
}
