package io.fixres.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {
    record Result(int testRes, double top1, double[] curve) {}

    record Epoch(int epoch, double loss, double lr) {}

    @TempDir
    Path dir;

    @Test
    void writesIndentedJsonWithPlainDoubles() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("lr", 1e-4);
        value.put("wd", 5e-5f);
        value.put("top1", 83.1);
        value.put("big", 2.5e7);
        value.put("empty", List.of());
        value.put("results", List.of(Map.of("test_res", 24)));
        assertThat(Json.toString(value)).isEqualTo("""
                {
                  "lr": 0.0001,
                  "wd": 0.00005,
                  "top1": 83.1,
                  "big": 25000000.0,
                  "empty": [],
                  "results": [
                    {
                      "test_res": 24
                    }
                  ]
                }
                """);
    }

    @Test
    void roundTripsARecordThroughAFile() throws IOException {
        Path file = dir.resolve("out/result.json");
        Json.write(file, new Result(224, 77.0, new double[] {0.5, 1e-6}));
        assertThat(Files.readString(file)).contains("\"curve\": [\n    0.5,\n    0.000001\n  ]");
        Result back = Json.read(file, Result.class);
        assertThat(back.testRes()).isEqualTo(224);
        assertThat(back.top1()).isEqualTo(77.0);
        assertThat(back.curve()).containsExactly(0.5, 1e-6);
    }

    @Test
    void appendsOneCompactLinePerCallAndReadsThemBack() throws IOException {
        Path file = dir.resolve("run/metrics.jsonl");
        Json.appendLine(file, new Epoch(1, 2.25, 0.1));
        Json.appendLine(file, new Epoch(2, 1.5, 0.01));
        assertThat(Files.readString(file)).isEqualTo(
                "{\"epoch\":1,\"loss\":2.25,\"lr\":0.1}\n{\"epoch\":2,\"loss\":1.5,\"lr\":0.01}\n");
        assertThat(Json.readLines(file, Epoch.class))
                .containsExactly(new Epoch(1, 2.25, 0.1), new Epoch(2, 1.5, 0.01));
    }

    @Test
    void badJsonIsReportedWithTheFileAndLine() throws IOException {
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(file, "{\"epoch\":1,\"loss\":2.0,\"lr\":0.1}\n{\"epoch\":2,\"lo");
        assertThatThrownBy(() -> Json.readLines(file, Epoch.class))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith(file + " line 2: expected JSON for Epoch");
        Path card = dir.resolve("model.json");
        Files.writeString(card, "[1, 2]");
        assertThatThrownBy(() -> Json.read(card, Epoch.class))
                .hasMessageStartingWith(card + ": expected JSON for Epoch");
    }
}
