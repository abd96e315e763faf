package io.fixres.cli;

import io.fixres.data.DataSplits;
import io.fixres.report.Table;
import io.fixres.train.LastBatchNormFineTuner;
import io.fixres.core.LastBatchNormMode;
import io.fixres.train.LastBatchNormFineTuner.FineTuneAugmentation;
import io.fixres.train.LearningRateSchedule;
import io.fixres.study.ResolutionGridStudy;
import io.fixres.study.ResultCache;
import io.fixres.train.SgdConfig;
import io.fixres.transform.TrainAugmentation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "grid", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train/test resolution grid (supplement Table 5; Table 9 with --train-aug resize-crop).",
            "Trains one model per train resolution in RUNS/<aug>-<res>/ (or reuses a complete run there), "
                    + "evaluates every (train, test) pair and, with --finetune, fine-tunes each model at each "
                    + "test resolution (test DA, last BatchNorm statistics).",
            "Writes OUT/grid.json, OUT/grid.md and OUT/cells.jsonl (measured cells, reused by a rerun)."})
final class GridCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin DataOptions data;
    @Mixin EngineOptions engine;

    @Option(names = "--train-res", paramLabel = "LIST", required = true, converter = Resolutions.class,
            description = "Train resolutions, the columns: 16,24,32 or ranges 16-32:8.")
    List<Integer> trainRes;

    @Option(names = "--test-res", paramLabel = "LIST", required = true, converter = Resolutions.class,
            description = "Test resolutions, the rows: 16,20,24 or ranges 16-64:4.")
    List<Integer> testRes;

    @Option(names = "--train-aug", paramLabel = "AUG", defaultValue = "rrc",
            description = "rrc (RandomResizedCrop, Table 5) or resize-crop (resize + random crop, Table 9). Default ${DEFAULT-VALUE}.")
    TrainAugmentation trainAug;

    @Option(names = "--finetune", description = "Also fine-tune each model at each test resolution (the right-hand table).")
    boolean finetune;

    @Option(names = "--ft-epochs", paramLabel = "E", defaultValue = "" + LastBatchNormFineTuner.DEFAULT_EPOCHS,
            description = "Fine-tuning epochs (default ${DEFAULT-VALUE}).")
    int ftEpochs;

    @Option(names = "--ft-batch-size", paramLabel = "B", defaultValue = "" + LastBatchNormFineTuner.DEFAULT_BATCH_SIZE,
            description = "Fine-tuning batch size (default ${DEFAULT-VALUE}).")
    int ftBatchSize;

    @Option(names = "--ft-lr", paramLabel = "LR", defaultValue = "" + LastBatchNormFineTuner.DEFAULT_LEARNING_RATE,
            description = "Fine-tuning learning rate (default ${DEFAULT-VALUE}; momentum, weight decay and "
                    + "schedule are finetune's defaults).")
    float ftLr;

    @Option(names = "--runs", paramLabel = "DIR", description = "Where the models are trained or reused (default OUT/runs).")
    Path runs;

    @Option(names = "--out", paramLabel = "OUT", required = true, description = "Output directory.")
    Path out;

    @Mixin TrainingOptions training;

    @Override
    public Integer call() throws Exception {
        TrainAugmentation augmentation = trainAug;
        LastBatchNormFineTuner.Recipe recipe = null;
        if (finetune) {
            SgdConfig sgd = new SgdConfig(ftEpochs, ftBatchSize, ftLr, LastBatchNormFineTuner.DEFAULT_MOMENTUM,
                    LastBatchNormFineTuner.DEFAULT_WEIGHT_DECAY, LastBatchNormFineTuner.DEFAULT_SCHEDULE,
                    engine.seed(), engine.threads());
            recipe = new LastBatchNormFineTuner.Recipe(LastBatchNormMode.STATS, FineTuneAugmentation.TEST, sgd);
        }
        ResolutionGridStudy.Request request = new ResolutionGridStudy.Request(trainRes, testRes,
                training.request(trainRes.get(0), augmentation, engine), augmentation, recipe,
                runs != null ? runs : out.resolve("runs"));
        DataSplits splits = data.load(engine.seed());
        ResolutionGridStudy.Result result = ResolutionGridStudy.run(request, splits,
                ResultCache.jsonLines(out.resolve("cells.jsonl")), new StudyProgressPrinter("grid"));
        List<Table> tables = new ArrayList<>(List.of(result.withoutFineTuning()));
        if (result.isFineTuned()) {
            tables.add(result.withFineTuning());
        }
        StudyOutput.write(out, "grid", "Train/test resolution grid (" + augmentation.id() + ", "
                + splits.name() + ")", StudyOutput.commandLine(spec), result, tables);
        return 0;
    }
}
