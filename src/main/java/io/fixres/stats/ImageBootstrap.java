package io.fixres.stats;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Bootstrap over the test images of any statistic of several accuracies measured on the same
 * images (B resamples of the image set with replacement, 95% percentile interval). Every accuracy
 * of a resample is computed on the same drawn images, so what the accuracies share (the images) is
 * kept: the difference of two accuracies is {@link PairedBootstrap}'s, and a statistic that picks
 * the best of several resolutions, or averages models trained with different seeds but tested on
 * the same images, has its selection and its shared images resampled too.
 *
 * <p>With two outcome vectors and {@code acc -> acc[1] - acc[0]} it draws the same images as
 * {@link PairedBootstrap#difference} with the same seed and so gives the same interval.
 */
public final class ImageBootstrap {
    private final int resamples;
    private final long seed;

    public ImageBootstrap(int resamples, long seed) {
        if (resamples < 100) {
            throw new IllegalArgumentException("resamples must be >= 100, got " + resamples);
        }
        this.resamples = resamples;
        this.seed = seed;
    }

    public ImageBootstrap() {
        this(PairedBootstrap.DEFAULT_RESAMPLES, 0);
    }

    /**
     * {@code statistic} of the accuracies (percent; one per outcome vector, in order) with its 95%
     * interval; {@code outcomes.get(j)[i]} says whether the j-th measurement was right on image i.
     */
    public Interval interval(List<boolean[]> outcomes, ToDoubleFunction<double[]> statistic) {
        if (outcomes.isEmpty()) {
            throw new IllegalArgumentException("no outcomes to resample");
        }
        int n = outcomes.get(0).length;
        for (boolean[] o : outcomes) {
            if (o.length != n) {
                throw new IllegalArgumentException("outcomes must be of the same images: " + n + " vs " + o.length);
            }
        }
        int m = outcomes.size();
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN);
        }
        double[] accuracies = new double[m];
        int[] weight = new int[n];
        Arrays.fill(weight, 1);
        double estimate = statistic.applyAsDouble(accuracies(outcomes, weight, n, accuracies));
        double[] stats = new double[resamples];
        SplittableRandom random = new SplittableRandom(seed);
        for (int r = 0; r < resamples; r++) {
            Arrays.fill(weight, 0);
            for (int i = 0; i < n; i++) {
                weight[random.nextInt(n)]++;
            }
            stats[r] = statistic.applyAsDouble(accuracies(outcomes, weight, n, accuracies));
        }
        Arrays.sort(stats);
        return new Interval(estimate, PairedBootstrap.percentile(stats, 0.025), PairedBootstrap.percentile(stats, 0.975));
    }

    /** Each vector's accuracy (percent) on the images drawn {@code weight[i]} times each. */
    private static double[] accuracies(List<boolean[]> outcomes, int[] weight, int n, double[] into) {
        for (int j = 0; j < into.length; j++) {
            boolean[] o = outcomes.get(j);
            long hits = 0;
            for (int i = 0; i < n; i++) {
                if (o[i]) {
                    hits += weight[i];
                }
            }
            into[j] = 100.0 * hits / n;
        }
        return into;
    }
}
