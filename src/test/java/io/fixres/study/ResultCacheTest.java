package io.fixres.study;

import static org.assertj.core.api.Assertions.assertThat;

import io.fixres.core.LastBatchNormMode;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.testing.TinyData;
import io.fixres.train.LastBatchNormFineTuner;
import io.fixres.train.LastBatchNormFineTuner.FineTuneAugmentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultCacheTest {
    @TempDir
    Path dir;

    private static CellKey key(int k) {
        return new CellKey("tiny test=tiny-2 (4)", "rrc-16", "2026-12-02T00:00:00Z", k, null, null, null);
    }

    @Test
    void jsonLinesCacheKeepsCellsAcrossReopeningAndMeasuresOnlyMisses() throws Exception {
        Path file = dir.resolve("sub/cells.jsonl");
        ResultCache cache = ResultCache.jsonLines(file);
        AtomicInteger measured = new AtomicInteger();
        ResolutionAccuracy a = cache.computeIfAbsent(key(24), () -> {
            measured.incrementAndGet();
            return new ResolutionAccuracy(24, 91.25, 99.5, 2000);
        });
        assertThat(a).isEqualTo(new ResolutionAccuracy(24, 91.25, 99.5, 2000));
        assertThat(Files.readAllLines(file)).containsExactly("{\"key\":\"" + key(24).hash() + "\",\"cell\":{"
                + "\"data\":\"tiny test=tiny-2 (4)\",\"model\":\"rrc-16\",\"model_created_at\":"
                + "\"2026-12-02T00:00:00Z\",\"test_res\":24,\"method\":null,\"fine_tuning\":null,\"fine_tune_data\":null,\"format\":3},"
                + "\"result\":{\"test_res\":24,\"top1\":91.25,\"top5\":99.5,\"images\":2000,\"top1_low\":"
                + a.top1Low() + ",\"top1_high\":" + a.top1High() + "}}");

        ResultCache reopened = ResultCache.jsonLines(file);
        assertThat(reopened.get(key(24))).contains(a);
        assertThat(reopened.get(key(28))).isEmpty();
        ResolutionAccuracy again = reopened.computeIfAbsent(key(24), () -> {
            measured.incrementAndGet();
            return new ResolutionAccuracy(24, 0, 0, 0);
        });
        assertThat(again).isEqualTo(a);
        assertThat(measured).hasValue(1);
    }

    @Test
    void noneRemembersNothingButStillReturnsTheMeasurement() {
        ResolutionAccuracy r = ResultCache.NONE.computeIfAbsent(key(16), () -> new ResolutionAccuracy(16, 50, 90, 10));
        assertThat(r.top1()).isEqualTo(50);
        assertThat(ResultCache.NONE.get(key(16))).isEmpty();
    }

    @Test
    void keysNameTheDataByEachSplitsSourceAndSizeAndDifferWithTheRecipeNotWithTheReportDirectory() {
        Path here = dir.resolve("a/runs/rrc-16");
        Path moved = dir.resolve("b/elsewhere/runs/rrc-16");
        io.fixres.model.ModelCard card = new io.fixres.model.ModelCard();
        card.setCreatedAt("2026-12-02T00:00:00Z");
        CellKey plain = CellKey.noFineTuning(TinyData.splits(10, 4), here, card, 24);
        assertThat(plain).isEqualTo(key(24));
        assertThat(CellKey.noFineTuning(TinyData.splits(10, 4), moved, card, 24).hash()).isEqualTo(plain.hash());

        var sgd = LastBatchNormFineTuner.defaultSgd(0, 1);
        CellKey stats = plain.fineTuned(io.fixres.train.FixResMethod.SGD, new LastBatchNormFineTuner.Request(24, LastBatchNormMode.STATS,
                FineTuneAugmentation.TEST, sgd), TinyData.splits(10, 4));
        CellKey affine = plain.fineTuned(io.fixres.train.FixResMethod.SGD, new LastBatchNormFineTuner.Request(24, LastBatchNormMode.AFFINE,
                FineTuneAugmentation.TEST, sgd), TinyData.splits(10, 4));
        assertThat(stats.hash()).isNotEqualTo(plain.hash()).isNotEqualTo(affine.hash()).hasSize(64);
    }

    @Test
    void theUntouchedAccuracyDependsOnTheTestSplitOnlySoTheAblationReadsTheGridsCells() {
        io.fixres.model.ModelCard card = new io.fixres.model.ModelCard();
        card.setCreatedAt("2026-12-02T00:00:00Z");
        Path model = dir.resolve("runs/rrc-24");
        var gridData = TinyData.splits(10, 4);
        var fineTuneData = new io.fixres.data.DataSplits(TinyData.dataset(6, 7), gridData.test(), "tiny",
                TinyData.NORMALIZATION);
        assertThat(CellKey.noFineTuning(fineTuneData, model, card, 28)).isEqualTo(CellKey.noFineTuning(gridData, model, card, 28));
        var request = new LastBatchNormFineTuner.Request(28, LastBatchNormMode.STATS, FineTuneAugmentation.TEST,
                LastBatchNormFineTuner.defaultSgd(0, 1));
        // the same fine-tuning on the same images is one cell, whichever study's untouched key it extends
        assertThat(CellKey.noFineTuning(gridData, model, card, 28).fineTuned(io.fixres.train.FixResMethod.SGD, request,
                fineTuneData)).isEqualTo(CellKey.noFineTuning(fineTuneData, model, card, 28)
                .fineTuned(io.fixres.train.FixResMethod.SGD, request, fineTuneData));
        // but not a fine-tuning on other images, nor another test split
        assertThat(CellKey.noFineTuning(gridData, model, card, 28).fineTuned(io.fixres.train.FixResMethod.SGD, request,
                gridData).hash()).isNotEqualTo(CellKey.noFineTuning(gridData, model, card, 28)
                .fineTuned(io.fixres.train.FixResMethod.SGD, request, fineTuneData).hash());
        assertThat(CellKey.noFineTuning(TinyData.splits(10, 5), model, card, 28)).isNotEqualTo(
                CellKey.noFineTuning(gridData, model, card, 28));
    }
}
