package io.fixres.cli;

import io.fixres.study.StudyProgress;
import io.fixres.train.TrainingProgress;

/** One line per study step on stderr ("[3/12] fine-tune runs/rrc-24 at 32 px"), then the SGD progress bar. */
final class StudyProgressPrinter implements StudyProgress {
    private final String command;

    StudyProgressPrinter(String command) {
        this.command = command;
    }

    @Override
    public void stepStarted(int step, int steps, String description, boolean cached) {
        System.err.printf("fixres %s: [%d/%d] %s%s%n", command, step, steps, description, cached ? " (cached)" : "");
    }

    @Override
    public TrainingProgress training() {
        return new TrainingProgressBar(command);
    }
}
