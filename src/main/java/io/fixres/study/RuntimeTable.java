package io.fixres.study;

import io.fixres.io.InvalidParameterException;

import io.fixres.core.StepTimer;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.report.Cell;
import io.fixres.report.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Projected training cost from measured step times, laid out as supplement Table 7: one row per
 * (train resolution, test resolution) with the train and fine-tuning times per batch and the
 * total time of a schedule:
 *
 * <pre>
 * total = trainEpochs * images / trainBatch * (fwd + bwd) + fineTuneEpochs * images / ftBatch * (ftFwd + ftBwd)
 * </pre>
 *
 * <p>Rows: for each train resolution K, training without fine-tuning tested at K; then for each
 * other test resolution T, training at K plus the FixRes fine-tuning at T; and, when an accuracy
 * is given for it, training at K tested at T without fine-tuning (same cost, another accuracy).
 * Fine-tuning rows also give the total with fixres's one-pass fine-tuning instead of SGD epochs:
 * two inference passes over the images (statistics, features) and a classifier fit on cached
 * features, whose cost is left out (seconds).
 */
public final class RuntimeTable {
    private static final double MILLIS_PER_HOUR = 3_600_000.0;

    /** Epochs of training and of fine-tuning, and images per epoch (ImageNet: 120, 60, 1,281,167). */
    public record Schedule(
            @JsonProperty("train_epochs") int trainEpochs,
            @JsonProperty("fine_tune_epochs") int fineTuneEpochs,
            @JsonProperty("images") long images) {
        public Schedule {
            InvalidParameterException.require(trainEpochs >= 0, "training epochs", "must be >= 0", trainEpochs);
            InvalidParameterException.require(fineTuneEpochs >= 0, "fine-tuning epochs", "must be >= 0", fineTuneEpochs);
            InvalidParameterException.require(images >= 1, "images per epoch", "must be >= 1", images);
        }

        /** Hours for {@code epochs} passes over the images with the given step time. */
        public double hours(int epochs, StepTimer.StepTime step) {
            return epochs * ((double) images / step.batchSize()) * step.meanStepMillis() / MILLIS_PER_HOUR;
        }
    }

    /** A known top-1 (percent) for a (train, test, fine-tuned or not) combination, read from JSON. */
    public record AccuracyEntry(
            @JsonProperty("train_res") int trainResolution,
            @JsonProperty("test_res") int testResolution,
            @JsonProperty("finetuned") boolean fineTuned,
            @JsonProperty("top1") double top1) {}

    /** One line of the table; {@code fineTune} is null for rows without fine-tuning, {@code top1} when unknown. */
    public record Row(
            @JsonProperty("train_res") int trainResolution,
            @JsonProperty("test_res") int testResolution,
            @JsonProperty("train") StepTimer.StepTime train,
            @JsonProperty("fine_tune") StepTimer.StepTime fineTune,
            @JsonProperty("total_hours") double totalHours,
            @JsonProperty("top1") Double top1,
            @JsonProperty("one_pass_total_hours") Double onePassTotalHours) {}

    private RuntimeTable() {}

    /**
     * The rows for every train resolution (in the order of {@code training}'s keys) and every test
     * resolution of {@code fineTuning}.
     *
     * @param training measured training step per train resolution
     * @param fineTuning measured fine-tuning step per test resolution
     * @param accuracies known accuracies (may be empty)
     */
    public static List<Row> rows(Map<Integer, StepTimer.StepTime> training, Map<Integer, StepTimer.StepTime> fineTuning,
                                 Schedule schedule, List<AccuracyEntry> accuracies) {
        return rows(training, fineTuning, Map.of(), schedule, accuracies);
    }

    /**
     * As {@link #rows(Map, Map, Schedule, List)}, with the inference forward per fine-tuning batch at
     * each test resolution giving the one-pass total (absent resolutions: no one-pass total).
     */
    public static List<Row> rows(Map<Integer, StepTimer.StepTime> training, Map<Integer, StepTimer.StepTime> fineTuning,
                                 Map<Integer, StepTimer.Millis> inference, Schedule schedule,
                                 List<AccuracyEntry> accuracies) {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<Integer, StepTimer.StepTime> t : training.entrySet()) {
            int k = t.getKey();
            double trainHours = schedule.hours(schedule.trainEpochs(), t.getValue());
            rows.add(new Row(k, k, t.getValue(), null, trainHours, find(accuracies, k, k, false), null));
            for (int test : fineTuning.keySet()) {
                Double plain = find(accuracies, k, test, false);
                if (test != k && plain != null) {
                    rows.add(new Row(k, test, t.getValue(), null, trainHours, plain, null));
                }
            }
            for (Map.Entry<Integer, StepTimer.StepTime> f : fineTuning.entrySet()) {
                if (f.getKey() == k) {
                    continue;
                }
                double total = trainHours + schedule.hours(schedule.fineTuneEpochs(), f.getValue());
                StepTimer.Millis pass = inference.get(f.getKey());
                Double onePass = pass == null ? null
                        : trainHours + 2 * schedule.images() / (double) f.getValue().batchSize() * pass.mean() / MILLIS_PER_HOUR;
                rows.add(new Row(k, f.getKey(), t.getValue(), f.getValue(), total, find(accuracies, k, f.getKey(), true),
                        onePass));
            }
        }
        return rows;
    }

    private static Double find(List<AccuracyEntry> accuracies, int train, int test, boolean fineTuned) {
        return accuracies.stream()
                .filter(a -> a.trainResolution() == train && a.testResolution() == test && a.fineTuned() == fineTuned)
                .map(AccuracyEntry::top1)
                .findFirst().orElse(null);
    }

    /**
     * Table 7's layout: train res, test res, train forward, train backward, fine-tuning forward,
     * fine-tuning backward (ms per batch, mean ± std), total (hours, or minutes when every total
     * is under an hour) and top-1 when any row has one.
     */
    public static Table table(String title, List<Row> rows) {
        boolean minutes = rows.stream().allMatch(r -> r.totalHours() < 1);
        boolean withAccuracy = rows.stream().anyMatch(r -> r.top1() != null);
        boolean withOnePass = rows.stream().anyMatch(r -> r.onePassTotalHours() != null);
        List<String> headers = new ArrayList<>(List.of("train res", "test res", "train fwd (ms)", "train bwd (ms)",
                "ft fwd (ms)", "ft bwd (ms)", minutes ? "total (min)" : "total (h)"));
        if (withOnePass) {
            headers.add(minutes ? "one-pass total (min)" : "one-pass total (h)");
        }
        if (withAccuracy) {
            headers.add("top-1 (%)");
        }
        Table table = new Table(title, headers);
        for (Row r : rows) {
            List<Object> cells = new ArrayList<>(List.of(
                    String.valueOf(r.trainResolution()), String.valueOf(r.testResolution()),
                    meanStd(r.train().forward()), meanStd(r.train().backward()),
                    r.fineTune() == null ? "-" : meanStd(r.fineTune().forward()),
                    r.fineTune() == null ? "-" : meanStd(r.fineTune().backward()),
                    Cell.number(minutes ? r.totalHours() * 60 : r.totalHours(), "%.1f")));
            if (withOnePass) {
                cells.add(r.onePassTotalHours() == null ? "-"
                        : Cell.number(minutes ? r.onePassTotalHours() * 60 : r.onePassTotalHours(), "%.1f"));
            }
            if (withAccuracy) {
                cells.add(r.top1() == null ? null : Cell.number(r.top1(), "%.1f"));
            }
            table.row(cells);
        }
        return table;
    }

    /** "12.8 ±2.8", the paper's notation. */
    static String meanStd(StepTimer.Millis m) {
        String format = m.mean() < 10 ? "%.2f ±%.2f" : "%.1f ±%.1f";
        return String.format(Locale.ROOT, format, m.mean(), m.std());
    }
}
