package io.fixres.stats;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A uniform random sample of at most {@code capacity} values from a stream of floats (reservoir
 * sampling, Vitter's Algorithm R), so the Fréchet CDF of pooled activations (supplement A.1) can
 * be fitted without keeping every activation of a data set. Deterministic given the generator.
 */
public final class ScalarSample {
    /** Enough for a CDF fit with Kolmogorov error well below 1%. */
    public static final int DEFAULT_CAPACITY = 200_000;

    private final float[] reservoir;
    private final RandomGenerator rng;
    private long seen;

    public ScalarSample(int capacity, RandomGenerator rng) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("reservoir capacity must be positive, got " + capacity);
        }
        this.reservoir = new float[capacity];
        this.rng = rng;
    }

    public int capacity() { return reservoir.length; }

    /** Values offered so far. */
    public long seen() { return seen; }

    /** Values held: {@code min(seen, capacity)}. */
    public int size() {
        return (int) Math.min(seen, reservoir.length);
    }

    public void add(float value) {
        if (seen < reservoir.length) {
            reservoir[(int) seen] = value;
        } else {
            long j = rng.nextLong(seen + 1);
            if (j < reservoir.length) {
                reservoir[(int) j] = value;
            }
        }
        seen++;
    }

    public void addAll(float[] values) {
        addAll(values, 0, values.length);
    }

    /** Adds {@code values[from .. to)}. */
    public void addAll(float[] values, int from, int to) {
        if (from < 0 || to > values.length || from > to) {
            throw new IllegalArgumentException(
                    "range [" + from + ", " + to + ") outside an array of " + values.length);
        }
        for (int i = from; i < to; i++) {
            add(values[i]);
        }
    }

    /** A copy of the sample, in reservoir order. */
    public float[] values() {
        return Arrays.copyOf(reservoir, size());
    }
}
