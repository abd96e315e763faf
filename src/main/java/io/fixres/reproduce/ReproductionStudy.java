package io.fixres.reproduce;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fixres.data.DataSplits;
import io.fixres.data.DatasetResolver;
import io.fixres.data.Subsets;
import io.fixres.study.AblationStudy;
import io.fixres.study.CellKey;
import io.fixres.train.FromScratchTraining;
import io.fixres.train.LastBatchNormFineTuner;
import io.fixres.core.LastBatchNormMode;
import io.fixres.train.LastBatchNormFineTuner.FineTuneAugmentation;
import io.fixres.train.LastBatchNormFineTuner.Recipe;
import io.fixres.train.LearningRateSchedule;
import io.fixres.study.ResolutionGridStudy;
import io.fixres.study.ResultCache;
import io.fixres.train.SgdConfig;
import io.fixres.study.StudyProgress;
import io.fixres.train.TrainingProgress;
import io.fixres.transform.Pipelines;
import io.fixres.transform.TrainAugmentation;
import ai.djl.Model;
import io.fixres.activation.ActivationFits;
import io.fixres.activation.ActivationMeasurement;
import io.fixres.activation.AdaptationMethod;
import io.fixres.study.AdaptationStudy;
import io.fixres.study.ResolutionSuggestion;
import io.fixres.study.ResolutionSweep;
import io.fixres.study.RuntimeTable;
import ai.djl.ndarray.NDManager;
import io.fixres.study.TimingStudy;
import io.fixres.study.ClassifierFineTuning;
import io.fixres.study.SweepResult;
import io.fixres.model.Checkpoint;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import io.fixres.stats.FrechetFit;
import io.fixres.transform.RandomResizedCrop;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The whole reproduction of the supplement on one dataset: trains the models, measures every
 * table and figure, and leaves the results in {@code runs/} (each stage cached there, so an
 * interrupted run resumes where it stopped). {@link ReproductionReport} turns them into the report.
 */
public final class ReproductionStudy {
    private final StudyPlan plan;
    private final DataSplits data;
    private final DataSplits fineTuneData;
    private final StageCache stages;
    private final ResultCache cells;
    private final StudyProgress progress;
    private final long seed;
    private final int threads;
    /**
     * The main model's activation statistics on {@link #statisticsImages()} by resolution, 256-image
     * batches, this run's seed: Figure 6 and Table 4 measure the same ones at the same resolutions,
     * so whichever stage runs second in this process reads them instead of a pass.
     */
    private final Map<Integer, ActivationMeasurement.Measured> mainModelStatistics = new ConcurrentHashMap<>();

    public ReproductionStudy(StudyPlan plan, String dataSpec, Path runs, boolean fresh, long seed, int threads,
                             StudyProgress progress) throws IOException {
        this.plan = plan;
        this.seed = seed;
        this.threads = threads;
        this.progress = progress;
        DataSplits all = DatasetResolver.standard().resolve(dataSpec);
        this.data = new DataSplits(Subsets.limit(all.train(), plan.limitTrain(), seed),
                Subsets.limit(all.test(), plan.limitTest(), seed + 1), all.name(), all.normalization());
        // Each of the study's many fine-tunings sees a smaller subset than a training run.
        this.fineTuneData = new DataSplits(Subsets.limit(all.train(), plan.fineTuneLimitTrain(), seed + 2),
                data.test(), all.name(), all.normalization());
        this.stages = new StageCache(runs, fresh);
        checkSamePlan(runs.resolve("plan.json"), plan, dataSpec);
        this.cells = ResultCache.jsonLines(runs.resolve("cells.jsonl"));
    }

    /**
     * The cache answers by stage name, so it is only valid for the plan and data that filled it:
     * the first run records them in {@code runs/plan.json}, later runs must match.
     */
    private static void checkSamePlan(Path file, StudyPlan plan, String dataSpec) throws IOException {
        java.util.Map<String, Object> identity = new java.util.LinkedHashMap<>();
        identity.put("data", dataSpec);
        identity.put("plan", plan);
        String expected = io.fixres.io.Json.toString(identity);
        if (java.nio.file.Files.isRegularFile(file)) {
            String found = java.nio.file.Files.readString(file);
            if (!found.strip().equals(expected.strip())) {
                throw new IllegalArgumentException(file.getParent() + " holds stages of another study (" + file
                        + " differs from this run's profile or --data): use --fresh to start over, or another --out");
            }
        } else {
            io.fixres.io.AtomicFiles.writeString(file, expected);
        }
    }

    public StudyPlan plan() { return plan; }

    public DataSplits data() { return data; }

    public StageCache stages() { return stages; }

    /** Where the models trained with {@code trainingSeed} live: {@code runs/models/seed-0/}. */
    Path modelsDir(long trainingSeed) {
        return stages.root().resolve("models").resolve("seed-" + trainingSeed);
    }

    /** Where the first seed's model trained at {@code res} with {@code aug} lives (the single-model artefacts use it). */
    public Path modelDir(TrainAugmentation aug, int res) {
        return modelsDir(plan.firstSeed()).resolve(aug.id() + "-" + res);
    }

    /**
     * Table 5: every (train, test) pair for RandomResizedCrop training, without and with FixRes
     * fine-tuning, for the first seed; the main train resolution's column at the plan's seed test
     * resolutions for every further seed.
     */
    public SeededGrids table5() {
        return stages.json("table5", new TypeReference<>() {}, () -> seededGrids(TrainAugmentation.RRC,
                recipe(LastBatchNormMode.STATS, FineTuneAugmentation.TEST), ablationRequest()));
    }

    /** Table 9: the same grids for resize + random crop training (supplement D), without fine-tuning. */
    public SeededGrids table9() {
        return stages.json("table9", new TypeReference<>() {}, () -> seededGrids(TrainAugmentation.RESIZE_CROP, null,
                null));
    }

    /**
     * @param alongside the ablation whose fine-tunings the first seed's grid measures off its own
     *     evaluations of the ablation's model (Table 5 and Table 6 then share one pass per K), or null
     */
    private SeededGrids seededGrids(TrainAugmentation aug, Recipe fineTuning, AblationStudy.Request alongside)
            throws IOException {
        List<ResolutionGridStudy.Result> grids = new ArrayList<>();
        for (long trainingSeed : plan.seeds()) {
            boolean first = grids.isEmpty();
            List<Integer> trainResolutions = first ? plan.gridTrainResolutions() : List.of(plan.mainTrainResolution());
            List<Integer> testResolutions = first ? plan.gridTestResolutions() : plan.seedTestResolutions();
            ResolutionGridStudy.Result grid = ResolutionGridStudy.run(gridRequest(aug, fineTuning, trainingSeed,
                    trainResolutions, testResolutions), data, fineTuning == null ? data : fineTuneData, cells, progress,
                    first ? alongside : null);
            // the report names the runs relative to its own directory: no machine path, and a moved report still reads
            List<String> runs = grid.runs().stream().map(this::relativeToReport).toList();
            grids.add(new ResolutionGridStudy.Result(grid.trainAugmentation(), grid.trainResolutions(),
                    grid.testResolutions(), grid.fineTuning(), runs, grid.cells()));
        }
        return new SeededGrids(plan.seeds(), grids);
    }

    /** {@code path} relative to the report directory (the parent of {@code runs/}), with forward slashes. */
    String relativeToReport(String path) {
        Path report = stages.root().toAbsolutePath().normalize().getParent();
        return report.relativize(Path.of(path).toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /** Tables 6 and 8 on the main RandomResizedCrop model. */
    public AblationStudy.Result ablation() {
        // Table 5's stage has measured its cells already, off the grid's own evaluations
        return stages.json("ablation", new TypeReference<>() {}, () -> AblationStudy.run(ablationRequest(),
                fineTuneData, cells, progress));
    }

    /** Tables 6 and 8's measurements: the main model at the ablation's resolutions, the plan's rows. */
    AblationStudy.Request ablationRequest() {
        List<AblationStudy.Variant> variants = java.util.Arrays.stream(AblationStudy.Variant.values())
                .filter(v -> plan.recalibrateAllBatchNorms() || v != AblationStudy.Variant.RECALIBRATE_ALL_BN).toList();
        return new AblationStudy.Request(modelDir(TrainAugmentation.RRC, plan.mainTrainResolution()),
                ablationResolutions(), recipe(LastBatchNormMode.STATS, FineTuneAugmentation.TEST), variants);
    }

    /** The ablation's columns: the train resolution and the grid's test resolutions above it. */
    List<Integer> ablationResolutions() {
        return plan.gridTestResolutions().stream().filter(k -> k >= plan.mainTrainResolution()).toList();
    }

    /** Figure 6: Fréchet fits of the pooled activations at the train resolution and above (supplement A.1). */
    public List<ActivationFits.ResolutionFit> figure6() {
        return stages.json("figure6", new TypeReference<>() {}, () -> withMainModel((net, card, djl) -> {
            ActivationMeasurement measurement = new ActivationMeasurement(net, card, djl.getNDManager(), 256, threads)
                    .seed(seed).remembering(mainModelStatistics);
            var images = statisticsImages();
            List<ActivationFits.ResolutionFit> fits = progress.training().pass("Figure 6 activations at "
                    + figure6Resolutions() + " px", (long) images.size() * figure6Resolutions().size(),
                    done -> ActivationFits.measure(measurement, plan.mainTrainResolution(), images,
                            figure6Resolutions(), FrechetFit.builder().build(), done)).fits();
            // The samples behind the curves are not part of the cached JSON: draw the figure now.
            ActivationFits.figure6("Fréchet fit of the pooled activations (model trained at "
                    + plan.mainTrainResolution() + " px)", fits).writePng(figure6Png(), 900, 600);
            return fits;
        }));
    }

    /** Where the Figure 6 stage draws its figure. */
    public Path figure6Png() {
        return stages.root().resolve("figure6.png");
    }

    /**
     * The train resolution and the largest ablation resolution: the two ends Figure 6 contrasts,
     * and Table 4's columns (each of its fine-tuning rows costs one fine-tuning per column).
     */
    List<Integer> figure6Resolutions() {
        List<Integer> ks = ablationResolutions();
        return ks.size() == 1 ? ks : List.of(ks.get(0), ks.get(ks.size() - 1));
    }

    /**
     * Table 4: baseline, the two parameter-free adaptations (A.1 Fréchet, A.2 Gaussian), the
     * fine-tunings, and Gaussian adaptation combined with fine-tuning the classifier (the table's
     * caption matches the distribution before the last ReLU).
     */
    public AdaptationStudy.Result table4() {
        Path dir = modelDir(TrainAugmentation.RRC, plan.mainTrainResolution());
        // its baseline, fine-tuned and recalibrated columns are Table 5's and the ablation's cells, measured once
        return stages.json("table4", new TypeReference<>() {}, () -> withMainModel((net, card, djl) ->
                new AdaptationStudy(net, card, djl.getNDManager(), 256, threads).seed(seed)
                        .rememberingStatistics(mainModelStatistics)
                        .untouchedCells(cells, k -> CellKey.noFineTuning(fineTuneData, dir, card, k))
                        .fineTuning(ClassifierFineTuning.freshCopies(dir, fineTuneData,
                                recipe(LastBatchNormMode.STATS, FineTuneAugmentation.TEST), label -> progress.training(),
                                cells))
                        .run(AdaptationStudy.table4Rows(AdaptationMethod.GAUSSIAN).stream().filter(row ->
                                plan.recalibrateAllBatchNorms() || row.fineTuning() != ClassifierFineTuning.Scope.RECALIBRATE_ALL)
                                .toList(), statisticsImages(), data.test(),
                                figure6Resolutions(), adaptationProgress())));
    }

    /** Table 4's statistics and evaluation passes, shown as passes of the stage's progress. */
    private AdaptationStudy.Progress adaptationProgress() {
        TrainingProgress passes = progress.training();
        return new AdaptationStudy.Progress() {
            private boolean open;

            @Override
            public void stageStarted(String description, long images) {
                open = images > 0; // a fine-tuning row reports its own epochs and evaluation
                if (open) {
                    passes.passStarted(description, images);
                }
            }

            @Override
            public void imagesDone(int images) {
                passes.imagesDone(images);
            }

            @Override
            public void stageDone() {
                if (open) {
                    passes.passDone();
                    open = false;
                }
            }
        };
    }

    /** Figures 7 and 8: 1-pixel sweeps of the main RRC and resize-crop models (supplement B, D). */
    public List<SweepResult> sweeps() {
        return stages.json("sweeps", new TypeReference<>() {}, () -> {
            List<SweepResult> out = new ArrayList<>();
            var images = Subsets.limit(data.test(), plan.sweepLimitTest(), seed + 3);
            List<Integer> range = ResolutionSweep.range(plan.sweepFrom(), plan.sweepTo(), 1);
            for (TrainAugmentation aug : List.of(TrainAugmentation.RRC, TrainAugmentation.RESIZE_CROP)) {
                progress.stepStarted(out.size() + 1, 2, "sweep " + modelDir(aug, plan.mainTrainResolution())
                        + " at " + plan.sweepFrom() + ".." + plan.sweepTo() + " px", false);
                out.add(withModel(modelDir(aug, plan.mainTrainResolution()), (net, card, djl) ->
                        progress.training().pass("sweep " + aug.id() + " at " + range.size() + " resolutions",
                                (long) images.size() * range.size(), done -> new ResolutionSweep(net, card,
                                        djl.getNDManager(), 256, threads).run(images, range, card.getTestCropRatio(), done))));
            }
            return out;
        });
    }

    /** Table 7: per-batch forward/backward time of training and of the FixRes fine-tuning. */
    public TimingStudy.Result table7(List<RuntimeTable.AccuracyEntry> accuracies) {
        return stages.json("table7", new TypeReference<>() {}, () -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                ModelCard card = ModelCard.read(modelDir(TrainAugmentation.RRC, plan.mainTrainResolution())
                        .resolve(Checkpoint.CARD_FILE));
                ResNet net = card.networkBuilder().build();
                net.initialize(manager, plan.mainTrainResolution());
                TimingStudy.Request request = new TimingStudy.Request(plan.gridTrainResolutions(), ablationResolutions(),
                        plan.timingBatchSize(), 2 * plan.timingBatchSize(), 2, plan.timingRepeats(),
                        new RuntimeTable.Schedule(plan.epochs(), plan.fineTuneEpochs(), data.train().size()), accuracies);
                return TimingStudy.run(net, card.getArchitecture(), manager, request, threads, progress);
            }
        });
    }

    /** Table 7's accuracy column from Table 5: every measured (train, test) pair, with and without fine-tuning. */
    public static List<RuntimeTable.AccuracyEntry> accuracies(ResolutionGridStudy.Result grid) {
        List<RuntimeTable.AccuracyEntry> out = new ArrayList<>();
        for (ResolutionGridStudy.Cell c : grid.cells()) {
            out.add(new RuntimeTable.AccuracyEntry(c.trainResolution(), c.testResolution(), false, c.noFineTuning().top1()));
            if (c.fineTuned() != null) {
                out.add(new RuntimeTable.AccuracyEntry(c.trainResolution(), c.testResolution(), true, c.fineTuned().top1()));
            }
        }
        return out;
    }

    /** Section 3: the apparent-object-size prediction for the main model's training. */
    public ResolutionSuggestion suggestion() throws IOException {
        ModelCard card = ModelCard.read(modelDir(TrainAugmentation.RRC, plan.mainTrainResolution()).resolve(Checkpoint.CARD_FILE));
        return ResolutionSuggestion.of(plan.mainTrainResolution(), RandomResizedCrop.DEFAULT_SCALE_MIN,
                RandomResizedCrop.DEFAULT_SCALE_MAX, RandomResizedCrop.DEFAULT_RATIO_MIN, RandomResizedCrop.DEFAULT_RATIO_MAX,
                card.getTestCropRatio(), card.networkBuilder().build().totalStride());
    }

    private io.fixres.data.ImageDataset statisticsImages() {
        return Subsets.limit(data.train(), plan.statsLimitImages(), seed + 4);
    }

    /** Work on a loaded checkpoint; the Model (and its native memory) is closed afterwards. */
    @FunctionalInterface
    interface CheckpointWork<T> {
        T apply(ResNet net, ModelCard card, Model djl) throws Exception;
    }

    private <T> T withMainModel(CheckpointWork<T> work) throws IOException {
        return withModel(modelDir(TrainAugmentation.RRC, plan.mainTrainResolution()), work);
    }

    private static <T> T withModel(Path dir, CheckpointWork<T> work) throws IOException {
        try (Model djl = Model.newInstance("fixres")) {
            Checkpoint.LoadedModel loaded = Checkpoint.load(dir, djl.getNDManager());
            return work.apply(loaded.net(), loaded.card(), djl);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private ResolutionGridStudy.Request gridRequest(TrainAugmentation aug, Recipe fineTuning, long trainingSeed,
                                                    List<Integer> trainResolutions, List<Integer> testResolutions) {
        SgdConfig sgd = new SgdConfig(plan.epochs(), plan.batchSize(), plan.learningRate(), 0.9f, 5e-4f,
                LearningRateSchedule.COSINE, trainingSeed, threads);
        FromScratchTraining.Request training = new FromScratchTraining.Request(plan.architecture(), plan.width(),
                plan.mainTrainResolution(), aug, Pipelines.PAPER_JITTER, false, sgd, false);
        return new ResolutionGridStudy.Request(trainResolutions, testResolutions, training, aug,
                fineTuning, modelsDir(trainingSeed));
    }

    private Recipe recipe(LastBatchNormMode bn, FineTuneAugmentation augmentation) {
        SgdConfig sgd = new SgdConfig(plan.fineTuneEpochs(), LastBatchNormFineTuner.DEFAULT_BATCH_SIZE,
                LastBatchNormFineTuner.DEFAULT_LEARNING_RATE, LastBatchNormFineTuner.DEFAULT_MOMENTUM,
                LastBatchNormFineTuner.DEFAULT_WEIGHT_DECAY, LastBatchNormFineTuner.DEFAULT_SCHEDULE, seed, threads);
        return new Recipe(bn, augmentation, sgd);
    }
}
