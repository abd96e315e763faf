package io.fixres.bench;

import java.util.Arrays;
import java.util.List;

/**
 * One benchmark phase measured in several rounds. On a machine shared with other work the load
 * drifts during a run; interleaving the phases in rounds and comparing medians keeps that drift
 * from favouring whichever phase ran in a quiet moment.
 */
public record PhaseRounds(String name, List<PipelineBenchmark.Phase> rounds) {
    public PhaseRounds {
        if (rounds.isEmpty()) {
            throw new IllegalArgumentException("phase " + name + " has no rounds");
        }
        rounds = List.copyOf(rounds);
    }

    /** Median images/s over the rounds (mean of the middle two for an even count). */
    public double medianImagesPerSecond() {
        double[] v = sorted();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    public double minImagesPerSecond() { return sorted()[0]; }

    public double maxImagesPerSecond() { return sorted()[rounds.size() - 1]; }

    public PipelineBenchmark.Phase first() { return rounds.get(0); }

    public PipelineBenchmark.Phase last() { return rounds.get(rounds.size() - 1); }

    private double[] sorted() {
        double[] v = rounds.stream().mapToDouble(PipelineBenchmark.Phase::imagesPerSecond).toArray();
        Arrays.sort(v);
        return v;
    }
}
