package io.fixres.cli;

import io.fixres.reproduce.Reproduction;
import io.fixres.reproduce.StudyPlan;
import picocli.CommandLine;
import java.nio.file.Path;
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

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        StudyPlan plan = StudyPlan.profile(profile);
        ReproduceProgress progress = new ReproduceProgress(Reproduction.STAGES);
        Reproduction.Result result = Reproduction.run(plan, data, out, fresh, engine.seed(), engine.threads(),
                "fixres " + String.join(" ", spec.commandLine().getParseResult().originalArgs()), progress);
        result.findings().forEach(f -> System.out.println("[" + f.verdict() + "] " + f));
        System.out.println(result.stageTable().toText());
        System.out.println("wrote " + result.html() + " and " + out.resolve("report.md"));
        return 0;
    }
}
