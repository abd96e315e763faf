package io.fixres.study;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.core.FixResNetwork;
import io.fixres.core.LastBatchNormMode;
import io.fixres.core.StepTimer;
import io.fixres.report.Table;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Supplement Table 7 on this machine: forward/backward time per batch of full training at each
 * train resolution and of the FixRes fine-tuning at each test resolution, with the projected
 * total time of a schedule ({@link RuntimeTable}). {@code fixres timing} and {@code fixres
 * reproduce} both run it.
 */
public final class TimingStudy {

    /**
     * @param trainResolutions one training-step measurement each
     * @param fineTuneResolutions one fine-tuning-step measurement each (may be empty)
     * @param accuracies known top-1 per (train, test, fine-tuned) for the table's last column
     */
    public record Request(List<Integer> trainResolutions, List<Integer> fineTuneResolutions, int trainBatch,
                          int fineTuneBatch, int warmup, int repeats, RuntimeTable.Schedule schedule,
                          List<RuntimeTable.AccuracyEntry> accuracies) {
        public Request {
            trainResolutions = List.copyOf(trainResolutions);
            fineTuneResolutions = List.copyOf(fineTuneResolutions);
            accuracies = List.copyOf(accuracies);
            if (trainBatch < 1 || fineTuneBatch < 2) {
                throw new IllegalArgumentException("train batch must be >= 1 and fine-tuning batch >= 2 (it trains a "
                        + "BatchNorm), got " + trainBatch + " and " + fineTuneBatch);
            }
        }
    }

    /** The measurements, where they were taken, and the table's rows; the JSON of timing and of reproduce's table7. */
    public record Result(
            @JsonProperty("setup") String setup,
            @JsonProperty("architecture") String architecture,
            @JsonProperty("device") String device,
            @JsonProperty("threads") int threads,
            @JsonProperty("cores") int cores,
            @JsonProperty("load_average_at_start") double loadAverageAtStart,
            @JsonProperty("train_batch") int trainBatch,
            @JsonProperty("fine_tune_batch") int fineTuneBatch,
            @JsonProperty("warmup") int warmup,
            @JsonProperty("repeats") int repeats,
            @JsonProperty("schedule") RuntimeTable.Schedule schedule,
            @JsonProperty("training") List<StepTimer.StepTime> training,
            @JsonProperty("fine_tuning") List<StepTimer.StepTime> fineTuning,
            @JsonProperty("inference_forward") Map<Integer, StepTimer.Millis> inferenceForward,
            @JsonProperty("rows") List<RuntimeTable.Row> rows) {

        /** Table 7's layout for these rows. */
        public Table table() {
            return RuntimeTable.table(String.format(Locale.ROOT, "Time per batch on %s, %d threads (train batch %d, "
                    + "fine-tuning batch %d; mean ±std over %d steps after %d warm-up) and total for %d + %d epochs of "
                    + "%,d images", device, threads, trainBatch, fineTuneBatch, repeats, warmup,
                    schedule.trainEpochs(), schedule.fineTuneEpochs(), schedule.images()), rows);
        }
    }

    private TimingStudy() {}

    /**
     * Times every step of {@code request} on {@code net} (its weights are updated by the timed
     * steps: time a network you do not need afterwards). {@code threads} is the engine's thread
     * count, for the record.
     */
    public static Result run(FixResNetwork net, String architecture, NDManager manager, Request request, int threads,
                             StudyProgress progress) {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        String device = manager.getDevice().toString();
        String setup = String.format(Locale.ROOT, "%s on %s, %s %s, %d threads (%d cores), load average %.2f at start",
                architecture, device, Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(), threads,
                Runtime.getRuntime().availableProcessors(), load);
        StepTimer timer = new StepTimer(net, manager, request.warmup(), request.repeats());
        int steps = request.trainResolutions().size() + request.fineTuneResolutions().size();
        int step = 0;
        Map<Integer, StepTimer.StepTime> training = new LinkedHashMap<>();
        for (int r : request.trainResolutions()) {
            progress.stepStarted(++step, steps, "time training at " + r + " px", false);
            training.put(r, timer.training(r, request.trainBatch()));
        }
        Map<Integer, StepTimer.StepTime> fineTuning = new LinkedHashMap<>();
        Map<Integer, StepTimer.Millis> inference = new LinkedHashMap<>();
        for (int r : request.fineTuneResolutions()) {
            progress.stepStarted(++step, steps, "time fine-tuning at " + r + " px", false);
            fineTuning.put(r, timer.fineTuning(r, request.fineTuneBatch(), LastBatchNormMode.STATS));
            inference.put(r, timer.inference(r, request.fineTuneBatch()));
        }
        List<RuntimeTable.Row> rows = RuntimeTable.rows(training, fineTuning, inference, request.schedule(),
                request.accuracies());
        return new Result(setup, architecture, device, threads, Runtime.getRuntime().availableProcessors(), load,
                request.trainBatch(), request.fineTuneBatch(), request.warmup(), request.repeats(), request.schedule(),
                new ArrayList<>(training.values()), new ArrayList<>(fineTuning.values()), inference, rows);
    }
}
