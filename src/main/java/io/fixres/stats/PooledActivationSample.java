package io.fixres.stats;

import java.util.random.RandomGenerator;

/**
 * The pooled activations of a data set as the Fréchet model of supplement A.1 needs them, kept
 * in bounded memory: exact counts of all values and of the zeros (the ReLU's point mass, which
 * the fit excludes as outliers) and a uniform reservoir sample of the non-zero values.
 */
public final class PooledActivationSample {
    private final ScalarSample nonZero;
    private long values;
    private long zeros;

    public PooledActivationSample(int capacity, RandomGenerator rng) {
        this.nonZero = new ScalarSample(capacity, rng);
    }

    /** Adds a batch of pooled features (any layout: every value counts alike). */
    public PooledActivationSample addAll(float[] features) {
        for (int i = 0; i < features.length; i++) {
            float v = features[i];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("pooled activations must be finite, got " + v
                        + " at index " + i + " of a batch");
            }
            if (v == 0) {
                zeros++;
            } else {
                nonZero.add(v);
            }
        }
        values += features.length;
        return this;
    }

    /** All values seen, zeros included. */
    public long values() { return values; }

    public long zeros() { return zeros; }

    /** Exact share of zeros among all values seen (0 before any value). */
    public double zeroFraction() {
        return values == 0 ? 0 : (double) zeros / values;
    }

    /** Non-zero values seen (the reservoir holds at most its capacity of them). */
    public long nonZeroSeen() { return nonZero.seen(); }

    /** A copy of the reservoir: a uniform sample of the non-zero values. */
    public float[] nonZeroSample() {
        return nonZero.values();
    }

    /**
     * Fits {@code fit} to the non-zero sample. The result's {@code zeroFraction} and {@code count}
     * are the exact ones over everything seen; {@code nonZeroCount} is the sample the empirical
     * CDF was built from.
     */
    public FrechetFitResult fit(FrechetFit fit) {
        return fit.fit(EmpiricalCdf.ofNonZero(nonZeroSample())).withZeros(zeroFraction(), values);
    }
}
