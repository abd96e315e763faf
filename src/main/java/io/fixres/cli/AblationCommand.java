package io.fixres.cli;

import io.fixres.data.DataSplits;
import io.fixres.study.AblationStudy;
import io.fixres.train.LastBatchNormFineTuner;
import io.fixres.core.LastBatchNormMode;
import io.fixres.train.LastBatchNormFineTuner.FineTuneAugmentation;
import io.fixres.study.ResultCache;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "ablation", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Which part of the FixRes fine-tuning matters (supplement Tables 6 and 8).",
            "At each test resolution: no fine-tuning; classifier with train DA / test DA; classifier + last "
                    + "BatchNorm with train DA / test DA / test DA2. Each fine-tuning starts from a fresh load.",
            "Writes OUT/ablation.json, OUT/ablation.md and OUT/cells.jsonl (measured cells, reused by a rerun)."})
final class AblationCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ModelOptions model;
    @Mixin DataOptions data;
    @Mixin EngineOptions engine;

    @Option(names = "--test-res", paramLabel = "LIST", required = true, converter = Resolutions.class,
            description = "Test resolutions, the columns: 16,20,24 or ranges 16-64:4.")
    List<Integer> testRes;

    @Option(names = "--bn", paramLabel = "MODE", defaultValue = "stats",
            description = "What \"batch-norm\" rows fine-tune: stats (default, the published code) or affine.")
    LastBatchNormMode bn;

    @Mixin FineTuneOptions sgdOptions;

    @Option(names = "--out", paramLabel = "OUT", required = true, description = "Output directory.")
    Path out;

    @Override
    public Integer call() throws Exception {
        AblationStudy.Request request = new AblationStudy.Request(model.dir(), testRes,
                new LastBatchNormFineTuner.Recipe(bn, FineTuneAugmentation.TEST, sgdOptions.sgd(engine)));
        AblationStudy.check(request);
        DataSplits splits = data.load(engine.seed());
        AblationStudy.Result result = AblationStudy.run(request, splits,
                ResultCache.jsonLines(out.resolve("cells.jsonl")), new StudyProgressPrinter("ablation"));
        StudyOutput.write(out, "ablation", "FixRes ablation (" + splits.name() + ", " + model.dir() + ")",
                StudyOutput.commandLine(spec), result, List.of(result.table6(), result.table8()));
        return 0;
    }
}
