package io.fixres.reproduce;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.report.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * The wall time one stage of a reproduction took in this run (its computation and its part of the
 * report), and whether its result came from the cache: what {@code summary.json} records and
 * {@code fixres reproduce} prints at the end.
 */
public record StageTime(
        @JsonProperty("stage") String stage,
        @JsonProperty("seconds") double seconds,
        @JsonProperty("cached") boolean cached) {

    /** Stage, seconds, cached; then the total. */
    public static Table table(List<StageTime> times) {
        Table table = new Table("Stage wall times (this run)", "stage", "seconds", "cached").numberFormat("%.1f");
        double total = 0;
        for (StageTime t : times) {
            table.row(t.stage(), t.seconds(), t.cached() ? "yes" : "no");
            total += t.seconds();
        }
        table.row("total", total, "");
        return table;
    }

    /** Times consecutive stages: starting one ends the previous one. */
    static final class Clock {
        private final StageCache stages;
        private final StageProgress progress;
        private final List<StageTime> times = new ArrayList<>();
        private String current;
        private boolean currentCached;
        private long started;

        Clock(StageCache stages, StageProgress progress) {
            this.stages = stages;
            this.progress = progress;
        }

        /** Ends the running stage, announces {@code stage} (cached or not) and starts its clock. */
        void start(String stage) {
            end();
            current = stage;
            currentCached = stages.isComplete(stage);
            progress.stage(stage, currentCached);
            started = System.nanoTime();
        }

        /** Ends the running stage; the times of every stage, in order. */
        List<StageTime> stop() {
            end();
            return List.copyOf(times);
        }

        private void end() {
            if (current != null) {
                times.add(new StageTime(current, (System.nanoTime() - started) / 1e9, currentCached));
                current = null;
            }
        }
    }
}
