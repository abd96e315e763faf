package io.fixres.study;

import io.fixres.core.StepTimer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fixres.report.Table;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimeTableTest {
    private static StepTimer.StepTime step(int res, int batch, double fwd, double fwdStd, double bwd, double bwdStd) {
        return new StepTimer.StepTime(res, batch, new StepTimer.Millis(fwd, fwdStd, 10), new StepTimer.Millis(bwd, bwdStd, 10),
                new StepTimer.Millis(0.5, 0.1, 10));
    }

    @Test
    void totalIsEpochsTimesBatchesTimesStepTime() {
        // Table 7's 128 px row: 120 epochs x 1,280,000 / 32 batches x (12.8 + 29.0) ms = 55.73 h.
        RuntimeTable.Schedule schedule = new RuntimeTable.Schedule(120, 60, 1_280_000);
        assertThat(schedule.hours(120, step(128, 32, 12.8, 2.8, 29.0, 4.0))).isCloseTo(55.7333, within(1e-4));
        // Fine-tuning 60 epochs x 20,000 batches of 64 x (14.4 + 4.4) ms = 6.267 h.
        assertThat(schedule.hours(60, step(224, 64, 14.4, 2.5, 4.4, 0.9))).isCloseTo(6.2667, within(1e-4));
        assertThatThrownBy(() -> new RuntimeTable.Schedule(-1, 0, 10)).hasMessage("training epochs must be >= 0, got -1");
        assertThatThrownBy(() -> new RuntimeTable.Schedule(1, 1, 0)).hasMessage("images per epoch must be >= 1, got 0");
    }

    @Test
    void rowsFollowTable7() {
        Map<Integer, StepTimer.StepTime> training = new LinkedHashMap<>();
        training.put(128, step(128, 32, 12.8, 2.8, 29.0, 4.0));
        training.put(224, step(224, 32, 15.2, 3.2, 35.0, 2.0));
        Map<Integer, StepTimer.StepTime> fineTuning = new LinkedHashMap<>();
        fineTuning.put(224, step(224, 64, 14.4, 2.5, 4.4, 0.9));
        fineTuning.put(384, step(384, 64, 18.0, 2.7, 8.2, 1.3));
        List<RuntimeTable.AccuracyEntry> accuracies = List.of(
                new RuntimeTable.AccuracyEntry(128, 128, false, 73.3),
                new RuntimeTable.AccuracyEntry(128, 224, false, 75.7),
                new RuntimeTable.AccuracyEntry(128, 224, true, 77.1));
        RuntimeTable.Schedule schedule = new RuntimeTable.Schedule(120, 60, 1_280_000);

        List<RuntimeTable.Row> rows = RuntimeTable.rows(training, fineTuning, schedule, accuracies);

        assertThat(rows).extracting(r -> r.trainResolution() + "/" + r.testResolution() + (r.fineTune() == null ? "" : " ft"))
                .containsExactly("128/128", "128/224", "128/224 ft", "128/384 ft", "224/224", "224/384 ft");
        assertThat(rows).extracting(RuntimeTable.Row::top1).containsExactly(73.3, 75.7, 77.1, null, null, null);
        double train128 = 120 * 40_000 * 41.8 / 3.6e6;
        assertThat(rows.get(1).totalHours()).isCloseTo(train128, within(1e-9));
        assertThat(rows.get(2).totalHours()).isCloseTo(train128 + 60 * 20_000 * 18.8 / 3.6e6, within(1e-9));

        Table table = RuntimeTable.table("Table 7", rows);
        assertThat(table.headers()).containsExactly("train res", "test res", "train fwd (ms)", "train bwd (ms)",
                "ft fwd (ms)", "ft bwd (ms)", "total (h)", "top-1 (%)");
        assertThat(table.rowCells(2)).extracting(c -> c.display())
                .containsExactly("128", "224", "12.8 ±2.8", "29.0 ±4.0", "14.4 ±2.5", "4.40 ±0.90", "62.0", "77.1");
        assertThat(table.rowCells(0)).extracting(c -> c.display()).contains("-").endsWith("55.7", "73.3");
        assertThat(table.rowCells(3).get(7).display()).isEmpty();
    }

    @Test
    void theOnePassTotalIsTrainingPlusTwoInferencePassesOverTheImages() {
        Map<Integer, StepTimer.StepTime> training = Map.of(128, step(128, 32, 12.8, 2.8, 29.0, 4.0));
        Map<Integer, StepTimer.StepTime> fineTuning = Map.of(224, step(224, 64, 14.4, 2.5, 4.4, 0.9));
        RuntimeTable.Schedule schedule = new RuntimeTable.Schedule(120, 60, 1_280_000);
        List<RuntimeTable.Row> rows = RuntimeTable.rows(training, fineTuning,
                Map.of(224, new StepTimer.Millis(9.0, 0.5, 10)), schedule, List.of());
        double train128 = 120 * 40_000 * 41.8 / 3.6e6;
        // 2 passes x 1,280,000 / 64 batches x 9 ms = 360,000 ms = 0.1 h
        assertThat(rows.get(1).onePassTotalHours()).isCloseTo(train128 + 0.1, within(1e-9));
        assertThat(rows.get(0).onePassTotalHours()).isNull();
        Table table = RuntimeTable.table("t", rows);
        assertThat(table.headers()).endsWith("total (h)", "one-pass total (h)");
        assertThat(table.rowCells(1).get(7).display()).isEqualTo(String.format(java.util.Locale.ROOT, "%.1f", train128 + 0.1));
        assertThat(table.rowCells(0).get(7).display()).isEqualTo("-");
    }

    @Test
    void shortSchedulesAreInMinutesAndTheAccuracyColumnOnlyAppearsWithData() {
        Map<Integer, StepTimer.StepTime> training = Map.of(24, step(24, 128, 5, 0.5, 10, 1));
        // 4 epochs x 60000 / 128 batches x 15 ms = 28.1 s = 0.47 min
        List<RuntimeTable.Row> rows = RuntimeTable.rows(training, Map.of(), new RuntimeTable.Schedule(4, 1, 60_000), List.of());
        Table table = RuntimeTable.table("t", rows);
        assertThat(table.headers()).containsExactly("train res", "test res", "train fwd (ms)", "train bwd (ms)",
                "ft fwd (ms)", "ft bwd (ms)", "total (min)");
        assertThat(table.rowCells(0)).extracting(c -> c.display())
                .containsExactly("24", "24", "5.00 ±0.50", "10.0 ±1.0", "-", "-", "0.5");
    }
}
