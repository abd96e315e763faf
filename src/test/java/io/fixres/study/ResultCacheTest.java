package io.fixres.study;

import io.fixres.testing.TinyData;

import static org.assertj.core.api.Assertions.assertThat;

import io.fixres.eval.ResolutionAccuracy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultCacheTest {
    @TempDir
    Path dir;

    @Test
    void jsonLinesCacheKeepsCellsAcrossReopeningAndMeasuresOnlyMisses() throws Exception {
        Path file = dir.resolve("sub/cells.jsonl");
        ResultCache cache = ResultCache.jsonLines(file);
        AtomicInteger measured = new AtomicInteger();
        ResolutionAccuracy a = cache.computeIfAbsent("grid|x|test=24|none", () -> {
            measured.incrementAndGet();
            return new ResolutionAccuracy(24, 91.25, 99.5, 2000);
        });
        assertThat(a).isEqualTo(new ResolutionAccuracy(24, 91.25, 99.5, 2000));
        assertThat(Files.readAllLines(file)).containsExactly(
                "{\"key\":\"grid|x|test=24|none\",\"result\":{\"test_res\":24,\"top1\":91.25,\"top5\":99.5,\"images\":2000}}");

        ResultCache reopened = ResultCache.jsonLines(file);
        assertThat(reopened.get("grid|x|test=24|none")).contains(a);
        assertThat(reopened.get("grid|x|test=28|none")).isEmpty();
        ResolutionAccuracy again = reopened.computeIfAbsent("grid|x|test=24|none", () -> {
            measured.incrementAndGet();
            return new ResolutionAccuracy(24, 0, 0, 0);
        });
        assertThat(again).isEqualTo(a);
        assertThat(measured).hasValue(1);
    }

    @Test
    void noneRemembersNothingButStillReturnsTheMeasurement() {
        ResolutionAccuracy r = ResultCache.NONE.computeIfAbsent("k", () -> new ResolutionAccuracy(16, 50, 90, 10));
        assertThat(r.top1()).isEqualTo(50);
        assertThat(ResultCache.NONE.get("k")).isEmpty();
    }

    @Test
    void dataKeyNamesEachSplitsSourceAndSize() {
        assertThat(ResultCache.dataKey(TinyData.splits(10, 4))).isEqualTo("tiny train=tiny-1 (10) test=tiny-2 (4)");
    }
}
