package io.fixres.study;

import io.fixres.io.InvalidParameterException;

import io.fixres.train.FromScratchTraining;
import io.fixres.train.FixResMethod;
import io.fixres.train.LastBatchNormFineTuner;
import io.fixres.train.RunDirectory;
import io.fixres.train.SgdConfig;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.data.DataSplits;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.model.Checkpoint;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import io.fixres.report.ResolutionGrid;
import io.fixres.report.Table;
import io.fixres.train.LastBatchNormFineTuner.Recipe;
import io.fixres.transform.TrainAugmentation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.Objects;
import java.util.function.Function;

/**
 * Supplement Table 5 (and Table 9 with resize + random crop): one model per train resolution,
 * each evaluated at every test resolution, and optionally fine-tuned at each test resolution
 * (paper section 5: test DA, last BatchNorm statistics) and evaluated again.
 *
 * <p>Models live in {@code runs/<aug>-<res>/}; a complete run found there (it has a
 * {@code model.json}) is reused, otherwise it is trained with {@link RunDirectory}. Every
 * fine-tuning starts from a fresh load of the run's checkpoint.
 */
public final class ResolutionGridStudy {

    /**
     * @param trainResolutions the grid's columns
     * @param testResolutions the grid's rows
     * @param training how to train a missing model (its resolution and augmentation are replaced per column)
     * @param augmentation rrc (Table 5) or resize-crop (Table 9)
     * @param fineTuning the fine-tuning of the right-hand table, or {@code null} for none
     * @param runsDir where the models are found or trained
     */
    public record Request(List<Integer> trainResolutions, List<Integer> testResolutions,
                          FromScratchTraining.Request training, TrainAugmentation augmentation,
                          Recipe fineTuning, Path runsDir) {
        public Request {
            trainResolutions = List.copyOf(trainResolutions);
            testResolutions = List.copyOf(testResolutions);
            if (trainResolutions.isEmpty()) {
                throw new InvalidParameterException("train resolutions", "must not be empty", trainResolutions);
            }
            if (testResolutions.isEmpty()) {
                throw new InvalidParameterException("test resolutions", "must not be empty", testResolutions);
            }
            Objects.requireNonNull(training, "training");
            Objects.requireNonNull(augmentation, "augmentation");
            Objects.requireNonNull(runsDir, "runsDir");
        }

        /** The directory of the model trained at {@code trainResolution}: {@code runs/rrc-24}. */
        public Path runDir(int trainResolution) {
            return runsDir.resolve(augmentation.id() + "-" + trainResolution);
        }
    }

    /** One (train, test) pair: top-1 without fine-tuning, and after it ({@code null} without --finetune). */
    public record Cell(
            @JsonProperty("train_res") int trainResolution,
            @JsonProperty("test_res") int testResolution,
            @JsonProperty("no_finetuning") ResolutionAccuracy noFineTuning,
            @JsonProperty("finetuned") ResolutionAccuracy fineTuned) {}

    public record Result(
            @JsonProperty("train_aug") String trainAugmentation,
            @JsonProperty("train_res") List<Integer> trainResolutions,
            @JsonProperty("test_res") List<Integer> testResolutions,
            @JsonProperty("fine_tuning") String fineTuning,
            @JsonProperty("runs") List<String> runs,
            @JsonProperty("cells") List<Cell> cells) {

        /** The left-hand grid of Table 5: rows test res, columns train res, best per column marked. */
        public Table withoutFineTuning() {
            return grid(Cell::noFineTuning).toTable("Top-1, " + trainAugmentation + " training, no fine-tuning");
        }

        /** The right-hand grid: each model fine-tuned at each test resolution. */
        public Table withFineTuning() {
            if (fineTuning == null) {
                throw new IllegalStateException("this grid was measured without fine-tuning");
            }
            return grid(Cell::fineTuned).toTable("Top-1, " + trainAugmentation + " training, fine-tuned at the test resolution");
        }

        @JsonIgnore
        public boolean isFineTuned() { return fineTuning != null; }

        private ResolutionGrid grid(Function<Cell, ResolutionAccuracy> value) {
            ResolutionGrid grid = new ResolutionGrid();
            cells.forEach(c -> grid.put(c.trainResolution(), c.testResolution(), value.apply(c).top1()));
            return grid;
        }
    }

    private ResolutionGridStudy() {}

    /**
     * Runs the study: trains missing models, then measures every cell not found in {@code cache}.
     *
     * @throws IllegalArgumentException before any work if a resolution is below the network's
     *     minimum, or if a run directory holds a model trained differently
     */
    public static Result run(Request request, DataSplits data, ResultCache cache, StudyProgress progress)
            throws IOException {
        return run(request, data, data, cache, progress);
    }

    /**
     * As {@link #run(Request, DataSplits, ResultCache, StudyProgress)}, but the fine-tunings train on
     * {@code fineTuneData.train()} (e.g. a smaller subset: each of the grid's many fine-tunings
     * then costs less than a training run) and are measured on {@code fineTuneData.test()}.
     */
    public static Result run(Request request, DataSplits data, DataSplits fineTuneData, ResultCache cache,
                             StudyProgress progress) throws IOException {
        return run(request, data, fineTuneData, cache, progress, null);
    }

    /**
     * As {@link #run(Request, DataSplits, DataSplits, ResultCache, StudyProgress)}, and where the grid
     * evaluates {@code alongside}'s checkpoint at one of its resolutions, the ablation's fine-tunings
     * there are measured off that same evaluation (its last block kept) and cached: the ablation
     * then finds them all and evaluates nothing again (one pass at K serves Tables 5, 6 and 8).
     *
     * @param alongside an ablation on {@code fineTuneData} whose cells to fill, or {@code null}
     */
    public static Result run(Request request, DataSplits data, DataSplits fineTuneData, ResultCache cache,
                             StudyProgress progress, AblationStudy.Request alongside) throws IOException {
        ResNet shape = request.training().network(data);
        request.trainResolutions().forEach(shape::checkResolution);
        request.testResolutions().forEach(shape::checkResolution);
        for (int trainRes : request.trainResolutions()) {
            if (RunDirectory.isComplete(request.runDir(trainRes))) {
                checkRun(request, trainRes);
            }
        }
        List<Integer> ks = request.testResolutions();
        // without fine-tuning: train, evaluate at every K; with it: train, then at each K one evaluation
        // (its last block kept) and the fine-tuning measured from it
        int perModel = 1 + (request.fineTuning() == null ? 1 : 2 * ks.size());
        long counted = (long) perModel * request.trainResolutions().size();
        if (request.fineTuning() != null) {
            for (int trainRes : request.trainResolutions()) {
                counted += ks.stream().filter(k -> measuresAlongside(alongside, request.runDir(trainRes), k))
                        .mapToLong(k -> othersAlongside(alongside, request, k).size()).sum();
            }
        }
        int steps = (int) counted;
        int[] step = {1}; // advanced by the steps of atResolution too
        SgdConfig evalSgd = request.training().sgd();
        List<Cell> cells = new ArrayList<>();
        List<String> runs = new ArrayList<>();
        for (int trainRes : request.trainResolutions()) {
            Path dir = request.runDir(trainRes);
            runs.add(dir.toString());
            boolean reuse = RunDirectory.isComplete(dir);
            progress.stepStarted(step[0]++, steps, (reuse ? "reuse " : "train ") + dir, reuse);
            if (!reuse) {
                RunDirectory.train(dir, request.training().with(trainRes, request.augmentation()), data, false,
                        progress.training(), m -> { });
            }
            ModelCard card = checkRun(request, trainRes);
            IntFunction<CellKey> keyOf = k -> CellKey.noFineTuning(data, dir, card, k);
            int batchSize = Math.max(256, evalSgd.batchSize());
            if (request.fineTuning() == null) {
                progress.stepStarted(step[0]++, steps, "evaluate " + dir + " at " + ks + " px",
                        ks.stream().allMatch(k -> cache.get(keyOf.apply(k)).isPresent()));
                var none = CheckpointMeasurements.withoutFineTuning(dir, data, ks, batchSize, evalSgd.loaderThreads(),
                        cache, keyOf, progress.training());
                ks.forEach(k -> cells.add(new Cell(trainRes, k, none.get(k), null)));
                continue;
            }
            for (int k : ks) {
                LastBatchNormFineTuner.Request fineTuning = request.fineTuning().at(k);
                CellKey untouched = keyOf.apply(k);
                CellKey key = untouched.fineTuned(FixResMethod.SGD, fineTuning, fineTuneData);
                List<CheckpointMeasurements.Tuning> tunings = new ArrayList<>(List.of(new CheckpointMeasurements.Tuning(
                        key, FixResMethod.SGD, fineTuning, "fine-tune " + dir + " at " + k + " px")));
                if (measuresAlongside(alongside, dir, k)) {
                    List<AblationStudy.Variant> others = othersAlongside(alongside, request, k);
                    AblationStudy.tunings(alongside, untouched, fineTuneData, "the ablation's " + dir.getFileName())
                            .forEach((variant, t) -> {
                                if (others.contains(variant)) {
                                    tunings.add(t);
                                }
                            });
                }
                var measured = CheckpointMeasurements.atResolution(dir, dir.toString(), data, fineTuneData, k, untouched,
                        tunings, batchSize, evalSgd.loaderThreads(), cache,
                        progress.training(), (description, cached) -> progress.stepStarted(step[0]++, steps,
                                description, cached));
                cells.add(new Cell(trainRes, k, measured.get(untouched), measured.get(key)));
            }
        }
        String fineTuning = request.fineTuning() == null ? null : request.fineTuning().summary();
        return new Result(request.augmentation().id(), request.trainResolutions(), ks, fineTuning, runs, cells);
    }

    /**
     * The ablation's variants at K other than the grid's own fine-tuning (the same method and
     * settings on the same images: one cell, measured once).
     */
    private static List<AblationStudy.Variant> othersAlongside(AblationStudy.Request alongside, Request request, int k) {
        return alongside.variants().stream().filter(v -> v.method() != FixResMethod.SGD
                || !v.recipe(alongside.recipe()).at(k).equals(request.fineTuning().at(k))).toList();
    }

    /** True when {@code alongside} fine-tunes the checkpoint in {@code dir} at {@code k}. */
    private static boolean measuresAlongside(AblationStudy.Request alongside, Path dir, int k) {
        return alongside != null && alongside.testResolutions().contains(k)
                && alongside.checkpoint().toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize());
    }

    /** The card of a complete run, which must be the model this grid column expects. */
    private static ModelCard checkRun(Request request, int trainRes) throws IOException {
        Path dir = request.runDir(trainRes);
        ModelCard card = ModelCard.read(dir.resolve(Checkpoint.CARD_FILE));
        if (card.getTrainResolution() != trainRes || request.augmentation() != card.getTrainAugmentation()
                || !request.training().architecture().equals(card.getArchitecture())) {
            throw new IllegalArgumentException(dir + " holds a " + card.getArchitecture() + " trained at "
                    + card.getTrainResolution() + " px with " + card.getTrainAugmentation() + ", not the "
                    + request.training().architecture() + " at " + trainRes + " px with " + request.augmentation()
                    + " this grid expects: move it away or choose another --runs directory");
        }
        return card;
    }
}
