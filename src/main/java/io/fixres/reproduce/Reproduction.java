package io.fixres.reproduce;

import io.fixres.study.SweepResult;
import io.fixres.model.ModelCard;
import java.io.IOException;
import java.nio.file.Path;
import io.fixres.report.Table;
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

    /** The page written, the findings it states, and each stage's wall time in this run. */
    public record Result(Path html, List<Finding> findings, int stagesFromCache, List<StageTime> stageTimes) {
        /** The stage times as a table: what {@code fixres reproduce} prints at the end. */
        public Table stageTable() {
            return StageTime.table(stageTimes);
        }
    }

    private Reproduction() {}

    /**
     * @param command the command line that asked for this run, recorded in the report without
     *     machine paths ({@link #withoutMachinePaths})
     */
    public static Result run(StudyPlan plan, String data, Path out, boolean fresh, long seed, int threads,
                             String command, StageProgress progress) throws IOException {
        ReproductionStudy study = new ReproductionStudy(plan, data, out.resolve("runs"), fresh, seed, threads, progress);
        StageCache stages = study.stages();
        ReproductionReport report = new ReproductionReport(out, "fixres: the FixRes supplement reproduced on "
                + study.data().name());
        String recorded = withoutMachinePaths(command, out, data);
        report.setup(plan, recorded);
        report.put("profile", plan);
        report.put("command", recorded);
        report.put("versions", ModelCard.Versions.current());
        report.put("seed", seed);
        report.put("threads", threads);
        long start = System.nanoTime();
        StageTime.Clock clock = new StageTime.Clock(stages, progress);

        clock.start("table5");
        SeededGrids table5 = study.table5();
        report.table5(table5, plan.mainTrainResolution());
        clock.start("table9");
        report.table9(study.table9(), plan.mainTrainResolution());
        clock.start("ablation");
        report.ablation(study.ablation());
        clock.start("figure6");
        report.figure6(study.figure6(), study.figure6Png(), plan.mainTrainResolution());
        clock.start("table4");
        report.table4(study.table4());
        clock.start("sweeps");
        List<SweepResult> sweeps = study.sweeps();
        report.sweeps(sweeps);
        report.suggestion(study.suggestion(), sweeps.get(0));
        clock.start("table7");
        report.table7(study.table7(ReproductionStudy.accuracies(table5.first())));
        clock.start("report");
        List<StageTime> times = clock.stop();
        report.stageTimes(times);
        report.put("seconds_this_run", (System.nanoTime() - start) / 1e9);
        report.put("stage_seconds", times);
        report.put("stages_from_cache", stages.hits());
        Path html = report.write();
        return new Result(html, report.findings(), stages.hits(), times);
    }

    /**
     * {@code command} with the report directory named by its own name and an absolute {@code --data}
     * path by its file name: a committed report must not show the machine that wrote it.
     */
    static String withoutMachinePaths(String command, Path out, String data) {
        Path report = out.toAbsolutePath().normalize();
        String name = report.getFileName() == null ? "." : report.getFileName().toString();
        String recorded = command.replace(report.toString(), name);
        if (out.isAbsolute()) {
            recorded = recorded.replace(out.toString(), name);
        }
        Path dataPath = Path.of(data);
        if (dataPath.isAbsolute() && dataPath.getFileName() != null) {
            recorded = recorded.replace(data, dataPath.getFileName().toString());
        }
        return recorded;
    }
}
