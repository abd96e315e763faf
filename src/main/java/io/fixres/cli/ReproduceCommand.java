package io.fixres.cli;

import io.fixres.reproduce.ReproductionReport;
import io.fixres.reproduce.ReproductionStudy;
import io.fixres.reproduce.StudyPlan;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "reproduce", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the whole study and write the supplement's tables and figures, reproduced on the data:",
            "OUT/index.html (one self-contained page), OUT/report.md, OUT/figures/*.png, OUT/data/*.json|csv.",
            "Stages are cached in OUT/runs/: an interrupted run resumes; --fresh starts over."})
final class ReproduceCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "D", defaultValue = "fashion-mnist",
            description = "fashion-mnist (default), an IDX directory, or an ImageFolder with train/ and val/.")
    String data;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "report", description = "Report directory (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--profile", paramLabel = "P", defaultValue = "default",
            description = "quick (< 5 min on 2 cores), default (< 30 min) or full (bigger machines).")
    String profile;

    @Option(names = "--fresh", description = "Delete the cached stages in OUT/runs and start over.")
    boolean fresh;

    @Mixin EngineOptions engine;

    @Override
    public Integer call() throws Exception {
        StudyPlan plan = StudyPlan.named(profile);
        ReproduceProgress progress = new ReproduceProgress(List.of(
                new ReproduceProgress.Stage("table5", 0.40),
                new ReproduceProgress.Stage("table9", 0.25),
                new ReproduceProgress.Stage("ablation", 0.20),
                new ReproduceProgress.Stage("report", 0.01)));
        ReproductionStudy study = new ReproductionStudy(plan, data, out.resolve("runs"), fresh, engine.seed(),
                engine.threads(), progress);
        ReproductionReport report = new ReproductionReport(out, "fixres: the FixRes supplement reproduced on "
                + study.data().name());
        report.put("profile", plan);

        progress.stage("table5", study.stages().isComplete("table5"));
        report.table5(study.table5(), plan.mainTrainResolution());
        progress.stage("table9", study.stages().isComplete("table9"));
        report.table9(study.table9(), plan.mainTrainResolution());
        progress.stage("ablation", study.stages().isComplete("ablation"));
        report.ablation(study.ablation());
        progress.stage("report", false);
        Path html = report.write();
        report.findings().forEach(f -> System.out.println((f.reproduced() ? "[yes] " : "[no]  ") + f));
        System.out.println("wrote " + html + " and " + out.resolve("report.md"));
        return 0;
    }
}
