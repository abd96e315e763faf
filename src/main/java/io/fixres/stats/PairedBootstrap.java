package io.fixres.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Paired bootstrap of the difference between two accuracies measured on the same images
 * (B resamples of the image set with replacement, 95% percentile interval). Pairing matters: two
 * models are right on most of the same images, so the difference is far less noisy than either
 * accuracy, and an unpaired interval would call real gains "inconclusive".
 *
 * <p>Only the four outcome counts per resample matter, so each resample costs O(n) with no
 * allocation; 2,000 resamples of 10,000 images take a few tens of milliseconds.
 */
public final class PairedBootstrap {
    public static final int DEFAULT_RESAMPLES = 2000;
    private final int resamples;
    private final long seed;

    public PairedBootstrap(int resamples, long seed) {
        if (resamples < 100) {
            throw new IllegalArgumentException("resamples must be >= 100, got " + resamples);
        }
        this.resamples = resamples;
        this.seed = seed;
    }

    public PairedBootstrap() {
        this(DEFAULT_RESAMPLES, 0);
    }

    /**
     * Difference {@code accuracy(b) - accuracy(a)} in percentage points with its 95% interval;
     * {@code a[i]} and {@code b[i]} are the outcomes of the same image.
     */
    public Interval difference(boolean[] a, boolean[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired outcomes need the same images: " + a.length + " vs " + b.length);
        }
        int n = a.length;
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN);
        }
        // Per image: +1 when only b is right, -1 when only a is right, 0 otherwise.
        byte[] delta = new byte[n];
        long sum = 0;
        for (int i = 0; i < n; i++) {
            delta[i] = (byte) ((b[i] ? 1 : 0) - (a[i] ? 1 : 0));
            sum += delta[i];
        }
        double[] stats = new double[resamples];
        SplittableRandom random = new SplittableRandom(seed);
        for (int r = 0; r < resamples; r++) {
            long s = 0;
            for (int i = 0; i < n; i++) {
                s += delta[random.nextInt(n)];
            }
            stats[r] = 100.0 * s / n;
        }
        Arrays.sort(stats);
        return new Interval(100.0 * sum / n, percentile(stats, 0.025), percentile(stats, 0.975));
    }

    static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
