package io.fixres.reproduce;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.stats.ImageBootstrap;
import io.fixres.stats.Interval;
import io.fixres.stats.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A finding's measured difference (percentage points, predicted positive) for every training seed,
 * and its mean over the seeds with a 95% interval from {@link ImageBootstrap}: the test images are
 * the same for every seed, so they are resampled jointly across seeds and the interval covers both
 * the image sample and any selection the statistic makes (e.g. the best test resolution).
 *
 * <p>The verdict ({@code docs/reproduce.md}, "Statistics"): <b>reproduced</b> when the mean's
 * interval lies above 0 and every seed's own difference is above 0; <b>not reproduced</b> when the
 * mean's interval lies below 0; <b>inconclusive</b> otherwise (the interval contains 0, a seed
 * disagrees, or the per-image outcomes were not recorded).
 *
 * @param seeds the training seeds, in order
 * @param perSeed each seed's difference, from its accuracies
 * @param mean the seed mean with its interval (NaN bounds when outcomes are missing)
 * @param spread sample standard deviation of the per-seed differences (0 for one seed)
 */
public record SeedDifference(
        @JsonProperty("seeds") List<Long> seeds,
        @JsonProperty("per_seed") List<Double> perSeed,
        @JsonProperty("mean") Interval mean,
        @JsonProperty("spread") double spread) {

    public SeedDifference {
        seeds = List.copyOf(seeds);
        perSeed = List.copyOf(perSeed);
        if (seeds.size() != perSeed.size() || seeds.isEmpty()) {
            throw new IllegalArgumentException(seeds.size() + " seeds for " + perSeed.size() + " differences");
        }
    }

    /**
     * @param perSeedAccuracies for each seed, the accuracies the statistic reads, in the same layout
     *     for every seed (e.g. the grid's column without fine-tuning, then with it)
     * @param statistic the difference one seed shows, from its top-1 values (percent) in that layout
     */
    public static SeedDifference measure(List<Long> seeds, List<List<ResolutionAccuracy>> perSeedAccuracies,
                                         ToDoubleFunction<double[]> statistic, ImageBootstrap bootstrap) {
        int m = perSeedAccuracies.get(0).size();
        List<Double> perSeed = new ArrayList<>();
        List<boolean[]> outcomes = new ArrayList<>();
        boolean paired = true;
        for (List<ResolutionAccuracy> accuracies : perSeedAccuracies) {
            if (accuracies.size() != m) {
                throw new IllegalArgumentException("every seed needs the same accuracies: " + m + " vs " + accuracies.size());
            }
            perSeed.add(statistic.applyAsDouble(accuracies.stream().mapToDouble(ResolutionAccuracy::top1).toArray()));
            for (ResolutionAccuracy a : accuracies) {
                paired &= a.outcomes() != null && a.images() == perSeedAccuracies.get(0).get(0).images();
                if (paired) {
                    outcomes.add(a.outcomes().toArray());
                }
            }
        }
        double mean = perSeed.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        Interval interval = !paired ? new Interval(mean, Double.NaN, Double.NaN)
                : bootstrap.interval(outcomes, acc -> {
                    double sum = 0;
                    double[] one = new double[m];
                    for (int s = 0; s < perSeedAccuracies.size(); s++) {
                        System.arraycopy(acc, s * m, one, 0, m);
                        sum += statistic.applyAsDouble(one);
                    }
                    return sum / perSeedAccuracies.size();
                });
        // the estimate is the mean of the reported per-seed values (top-1 as stored), not of recounted hits
        return new SeedDifference(seeds, perSeed, new Interval(mean, interval.low(), interval.high()),
                SeededGrids.sd(perSeed.stream().mapToDouble(Double::doubleValue).toArray()));
    }

    /** The rule of the class comment. */
    @JsonIgnore
    public Verdict verdict() {
        Verdict ofMean = Verdict.ofPositiveDifference(mean.low(), mean.high());
        if (ofMean == Verdict.REPRODUCED && perSeed.stream().anyMatch(d -> !(d > 0))) {
            return Verdict.INCONCLUSIVE;
        }
        return ofMean;
    }

    /** "+0.40 [-0.10, +0.85] (seeds 0, 1, 2: +1.02, -0.06, +0.24; sd 0.55)", or without the seeds for one. */
    @Override
    public String toString() {
        String m = Double.isNaN(mean.low()) ? String.format(Locale.ROOT, "%+.2f [no per-image outcomes]", mean.estimate())
                : mean.formatSigned(2);
        if (seeds.size() == 1) {
            return m;
        }
        List<String> each = perSeed.stream().map(d -> String.format(Locale.ROOT, "%+.2f", d)).toList();
        return String.format(Locale.ROOT, "mean %s (seeds %s: %s; sd %.2f)", m,
                String.join(", ", seeds.stream().map(String::valueOf).toList()), String.join(", ", each), spread);
    }
}
