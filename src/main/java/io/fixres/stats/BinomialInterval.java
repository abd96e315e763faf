package io.fixres.stats;

/**
 * Wilson score interval of a proportion (95%), in percent: the interval of one accuracy measured on
 * {@code n} independent test images. Unlike the normal approximation it stays inside [0, 100] and
 * is sensible at 0 or n hits.
 */
public final class BinomialInterval {
    static final double Z95 = 1.959963984540054;

    private BinomialInterval() {}

    public static Interval wilson(long hits, long n) {
        if (n <= 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN);
        }
        if (hits < 0 || hits > n) {
            throw new IllegalArgumentException("hits must be in [0, " + n + "], got " + hits);
        }
        double p = (double) hits / n;
        double z2 = Z95 * Z95;
        double denom = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denom;
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denom;
        return new Interval(100 * p, 100 * Math.max(0, centre - half), 100 * Math.min(1, centre + half));
    }

    /**
     * Newcombe's hybrid score interval (1998, method 10) of the difference of two independent
     * proportions {@code hitsA/nA - hitsB/nB}, in percentage points, built from the two Wilson
     * intervals: it stays sensible for the few steps a 1-pixel sweep has at the feature map's
     * change points.
     */
    public static Interval newcombeDifference(long hitsA, long nA, long hitsB, long nB) {
        Interval a = wilson(hitsA, nA);
        Interval b = wilson(hitsB, nB);
        double d = a.estimate() - b.estimate();
        double low = d - Math.sqrt(sq(a.estimate() - a.low()) + sq(b.high() - b.estimate()));
        double high = d + Math.sqrt(sq(a.high() - a.estimate()) + sq(b.estimate() - b.low()));
        return new Interval(d, low, high);
    }

    private static double sq(double x) {
        return x * x;
    }
}
