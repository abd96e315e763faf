package io.fixres.cli;

import io.fixres.report.Durations;
import io.fixres.reproduce.Reproduction.Stage;
import io.fixres.reproduce.StageProgress;
import io.fixres.train.TrainingProgress;
import java.util.List;

/**
 * Progress of a whole reproduction: which stage runs, its own steps, and an overall ETA from
 * the stages' estimated shares of the work (a cached stage counts as done at once).
 */
final class ReproduceProgress implements StageProgress {
    private final List<Stage> stages;
    private final double totalWeight;
    private final long start = System.nanoTime();
    private int current = -1;
    private double doneWeight;
    private double skippedWeight;

    ReproduceProgress(List<Stage> stages) {
        this.stages = stages;
        this.totalWeight = stages.stream().mapToDouble(Stage::weight).sum();
    }

    /** Marks the previous stage done and announces {@code name}. */
    @Override
    public void stage(String name, boolean cached) {
        if (current >= 0) {
            doneWeight += stages.get(current).weight();
        }
        current = indexOf(name);
        if (cached) {
            skippedWeight += stages.get(current).weight();
        }
        System.err.printf("fixres reproduce: stage %d/%d %s%s  (elapsed %s%s)%n", current + 1, stages.size(), name,
                cached ? " (cached)" : "", Durations.format(elapsedMillis()), eta());
    }

    @Override
    public void stepStarted(int step, int steps, String description, boolean cached) {
        System.err.printf("fixres reproduce: [%s %d/%d] %s%s%n", stages.get(current).name(), step, steps, description,
                cached ? " (cached)" : "");
    }

    @Override
    public TrainingProgress training() {
        return new TrainingProgressBar("reproduce");
    }

    private String eta() {
        double measured = doneWeight - skippedWeight;
        if (measured <= 0) {
            return "";
        }
        double remaining = totalWeight - doneWeight;
        return ", overall ETA " + Durations.format((long) (elapsedMillis() * remaining / measured));
    }

    private long elapsedMillis() {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private int indexOf(String name) {
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown stage " + name);
    }
}
