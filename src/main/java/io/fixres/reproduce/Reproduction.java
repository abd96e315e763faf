package io.fixres.reproduce;

import io.fixres.study.SweepResult;
import io.fixres.model.ModelCard;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code fixres reproduce} as a library call: runs every stage of a {@link ReproductionStudy} in
 * order (each cached, so a rerun resumes) and writes the {@link ReproductionReport}.
 */
public final class Reproduction {
    /** A stage and its estimated share of a run's time, for the overall ETA. */
    public record Stage(String name, double weight) {}

    /** The stages in the order they run. */
    public static final List<Stage> STAGES = List.of(
            new Stage("table5", 0.40),
            new Stage("table9", 0.18),
            new Stage("ablation", 0.15),
            new Stage("figure6", 0.02),
            new Stage("table4", 0.10),
            new Stage("sweeps", 0.12),
            new Stage("table7", 0.03),
            new Stage("report", 0.005));

    /** The page written and the findings it states. */
    public record Result(Path html, List<Finding> findings, int stagesFromCache) {}

    private Reproduction() {}

    /**
     * @param command the command line that asked for this run, recorded in the report
     */
    public static Result run(StudyPlan plan, String data, Path out, boolean fresh, long seed, int threads,
                             String command, StageProgress progress) throws IOException {
        ReproductionStudy study = new ReproductionStudy(plan, data, out.resolve("runs"), fresh, seed, threads, progress);
        StageCache stages = study.stages();
        ReproductionReport report = new ReproductionReport(out, "fixres: the FixRes supplement reproduced on "
                + study.data().name());
        report.setup(plan, command);
        report.put("profile", plan);
        report.put("command", command);
        report.put("versions", ModelCard.Versions.current());
        report.put("seed", seed);
        report.put("threads", threads);
        long start = System.nanoTime();

        progress.stage("table5", stages.isComplete("table5"));
        SeededGrids table5 = study.table5();
        report.table5(table5, plan.mainTrainResolution());
        progress.stage("table9", stages.isComplete("table9"));
        report.table9(study.table9(), plan.mainTrainResolution());
        progress.stage("ablation", stages.isComplete("ablation"));
        report.ablation(study.ablation());
        progress.stage("figure6", stages.isComplete("figure6"));
        report.figure6(study.figure6(), study.figure6Png(), plan.mainTrainResolution());
        progress.stage("table4", stages.isComplete("table4"));
        report.table4(study.table4());
        progress.stage("sweeps", stages.isComplete("sweeps"));
        List<SweepResult> sweeps = study.sweeps();
        report.sweeps(sweeps);
        report.suggestion(study.suggestion(), sweeps.get(0));
        progress.stage("table7", stages.isComplete("table7"));
        report.table7(study.table7(ReproductionStudy.accuracies(table5.first())));
        progress.stage("report", false);
        report.put("seconds_this_run", (System.nanoTime() - start) / 1e9);
        report.put("stages_from_cache", stages.hits());
        Path html = report.write();
        return new Result(html, report.findings(), stages.hits());
    }
}
