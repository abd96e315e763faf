package io.fixres.reproduce;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fixres.data.DataSplits;
import io.fixres.data.DatasetResolver;
import io.fixres.data.Subsets;
import io.fixres.train.AblationStudy;
import io.fixres.train.FromScratchTraining;
import io.fixres.train.LastBatchNormFineTuner;
import io.fixres.train.LastBatchNormFineTuner.BnMode;
import io.fixres.train.LastBatchNormFineTuner.FineTuneAugmentation;
import io.fixres.train.LastBatchNormFineTuner.Recipe;
import io.fixres.train.LearningRateSchedule;
import io.fixres.train.ResolutionGridStudy;
import io.fixres.train.ResultCache;
import io.fixres.train.SgdConfig;
import io.fixres.train.StudyProgress;
import io.fixres.transform.Pipelines;
import io.fixres.transform.TrainAugmentation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

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
        this.cells = ResultCache.jsonLines(runs.resolve("cells.jsonl"));
    }

    public StudyPlan plan() { return plan; }

    public DataSplits data() { return data; }

    public StageCache stages() { return stages; }

    /** Where the model trained at {@code res} with {@code aug} lives. */
    public Path modelDir(TrainAugmentation aug, int res) {
        return stages.root().resolve("models").resolve(aug.cliName() + "-" + res);
    }

    /** Table 5: every (train, test) pair for RandomResizedCrop training, without and with FixRes fine-tuning. */
    public ResolutionGridStudy.Result table5() {
        return stages.json("table5", new TypeReference<>() {}, () -> ResolutionGridStudy.run(
                gridRequest(TrainAugmentation.RRC, recipe(BnMode.STATS, FineTuneAugmentation.TEST)),
                data, fineTuneData, cells, progress));
    }

    /** Table 9: the same grid for resize + random crop training (supplement D), without fine-tuning. */
    public ResolutionGridStudy.Result table9() {
        return stages.json("table9", new TypeReference<>() {}, () -> ResolutionGridStudy.run(
                gridRequest(TrainAugmentation.RESIZE_CROP, null), data, cells, progress));
    }

    /** Tables 6 and 8 on the main RandomResizedCrop model. */
    public AblationStudy.Result ablation() {
        return stages.json("ablation", new TypeReference<>() {}, () -> AblationStudy.run(
                new AblationStudy.Request(modelDir(TrainAugmentation.RRC, plan.mainTrainResolution()),
                        ablationResolutions(), recipe(BnMode.STATS, FineTuneAugmentation.TEST)),
                fineTuneData, cells, progress));
    }

    /** The ablation's columns: the train resolution and the grid's test resolutions above it. */
    List<Integer> ablationResolutions() {
        return plan.gridTestResolutions().stream().filter(k -> k >= plan.mainTrainResolution()).toList();
    }

    private ResolutionGridStudy.Request gridRequest(TrainAugmentation aug, Recipe fineTuning) {
        SgdConfig sgd = new SgdConfig(plan.epochs(), plan.batchSize(), plan.learningRate(), 0.9f, 5e-4f,
                LearningRateSchedule.COSINE, seed, threads);
        FromScratchTraining.Request training = new FromScratchTraining.Request(plan.architecture(), plan.width(),
                plan.mainTrainResolution(), aug, Pipelines.PAPER_JITTER, false, sgd, false);
        return new ResolutionGridStudy.Request(plan.gridTrainResolutions(), plan.gridTestResolutions(), training, aug,
                fineTuning, stages.root().resolve("models"));
    }

    private Recipe recipe(BnMode bn, FineTuneAugmentation augmentation) {
        SgdConfig sgd = new SgdConfig(plan.fineTuneEpochs(), LastBatchNormFineTuner.DEFAULT_BATCH_SIZE,
                LastBatchNormFineTuner.DEFAULT_LEARNING_RATE, LastBatchNormFineTuner.DEFAULT_MOMENTUM,
                LastBatchNormFineTuner.DEFAULT_WEIGHT_DECAY, LastBatchNormFineTuner.DEFAULT_SCHEDULE, seed, threads);
        return new Recipe(bn, augmentation, sgd);
    }
}
