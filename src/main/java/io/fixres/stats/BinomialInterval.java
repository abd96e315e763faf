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
}
