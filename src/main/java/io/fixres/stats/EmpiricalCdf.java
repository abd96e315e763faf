package io.fixres.stats;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

/**
 * The empirical CDF of the non-zero values of a sample. Zeros are counted but kept out: after
 * the last ReLU they are a point mass that the Fréchet model treats as outliers (supplement
 * A.1: "excluding the zeros, that can be considered outliers").
 */
public final class EmpiricalCdf {
    private final double[] sorted;
    private final long count;

    private EmpiricalCdf(double[] sorted, long count) {
        this.sorted = sorted;
        this.count = count;
    }

    /**
     * @throws IllegalArgumentException if a value is NaN or infinite
     */
    public static EmpiricalCdf ofNonZero(float[] values) {
        double[] nonZero = new double[values.length];
        int n = 0;
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(
                        "activation values must be finite, got " + v + " at index " + i);
            }
            if (v != 0) {
                nonZero[n++] = v;
            }
        }
        double[] sorted = Arrays.copyOf(nonZero, n);
        Arrays.sort(sorted);
        return new EmpiricalCdf(sorted, values.length);
    }

    /** All values seen, zeros included. */
    public long count() { return count; }

    public int nonZeroCount() { return sorted.length; }

    public double zeroFraction() {
        return count == 0 ? 0 : (double) (count - sorted.length) / count;
    }

    /** The i-th smallest non-zero value. */
    public double orderStatistic(int i) {
        return sorted[i];
    }

    /**
     * At most {@code maxPoints} evenly spaced order statistics {@code (x_i, (i + 0.5) / n)}, the
     * first and the last included: rows {x, empirical CDF}.
     */
    public double[][] points(int maxPoints) {
        if (maxPoints < 2) {
            throw new IllegalArgumentException("need at least 2 curve points, got " + maxPoints);
        }
        int n = sorted.length;
        int m = Math.min(n, maxPoints);
        double[] x = new double[m];
        double[] y = new double[m];
        for (int k = 0; k < m; k++) {
            int i = m == 1 ? 0 : (int) Math.round((double) k * (n - 1) / (m - 1));
            x[k] = sorted[i];
            y[k] = (i + 0.5) / n;
        }
        return new double[][] {x, y};
    }

    /**
     * Kolmogorov distance {@code sup_x |F(x) - F_n(x)|} to a continuous CDF, over all non-zero
     * points: at each order statistic the empirical CDF jumps from {@code i/n} to {@code (i+1)/n}.
     */
    public double kolmogorovDistance(DoubleUnaryOperator cdf) {
        int n = sorted.length;
        double worst = 0;
        for (int i = 0; i < n; i++) {
            double f = cdf.applyAsDouble(sorted[i]);
            worst = Math.max(worst, Math.max(f - (double) i / n, (double) (i + 1) / n - f));
        }
        return worst;
    }

    /** Root-mean-square of {@code F(x_i) - (i + 0.5) / n} over all non-zero points. */
    public double rmse(DoubleUnaryOperator cdf) {
        int n = sorted.length;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double r = cdf.applyAsDouble(sorted[i]) - (i + 0.5) / n;
            sum += r * r;
        }
        return Math.sqrt(sum / n);
    }
}
