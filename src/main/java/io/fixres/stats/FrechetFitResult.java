package io.fixres.stats;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A Fréchet fit of the non-zero activations (supplement A.1).
 *
 * @param zeroFraction   share of exact zeros among all values (excluded from the fit)
 * @param count          all values, zeros included
 * @param nonZeroCount   values the empirical CDF was built from
 * @param maxAbsCdfError Kolmogorov distance between the fitted and the empirical CDF, over all
 *                       non-zero values (not only the points the optimiser saw)
 * @param rmse           root-mean-square of {@code F(x_i) - (i + 0.5)/n} over all non-zero values
 * @param truncatedAtZero the model is the Fréchet conditioned on {@code x > 0} (see
 *                       {@link FrechetFit.Builder#truncatedAtZero}), not the plain one
 */
public record FrechetFitResult(
        @JsonProperty("mu") double mu,
        @JsonProperty("sigma") double sigma,
        @JsonProperty("xi") double xi,
        @JsonProperty("zero_fraction") double zeroFraction,
        @JsonProperty("count") long count,
        @JsonProperty("non_zero_count") long nonZeroCount,
        @JsonProperty("max_abs_cdf_error") double maxAbsCdfError,
        @JsonProperty("rmse") double rmse,
        @JsonProperty("truncated_at_zero") boolean truncatedAtZero) {

    /** A fit of the plain Fréchet model (the paper's). */
    public FrechetFitResult(double mu, double sigma, double xi, double zeroFraction, long count, long nonZeroCount,
                            double maxAbsCdfError, double rmse) {
        this(mu, sigma, xi, zeroFraction, count, nonZeroCount, maxAbsCdfError, rmse, false);
    }

    /** The Fréchet distribution with the fitted parameters (not truncated). */
    public FrechetDistribution distribution() {
        return new FrechetDistribution(mu, sigma, xi);
    }

    /** The fitted model's CDF: {@link #distribution()}'s, conditioned on {@code x > 0} if {@link #truncatedAtZero}. */
    public double cdf(double x) {
        return cdf(distribution(), truncatedAtZero, x);
    }

    static double cdf(FrechetDistribution d, boolean truncatedAtZero, double x) {
        if (!truncatedAtZero) {
            return d.cdf(x);
        }
        if (x <= 0) {
            return 0;
        }
        double atZero = d.cdf(0);
        return (d.cdf(x) - atZero) / (1 - atZero);
    }

    /** The same fit with the zero statistics replaced (when the fitted sample held only the non-zeros). */
    public FrechetFitResult withZeros(double zeroFraction, long count) {
        return new FrechetFitResult(mu, sigma, xi, zeroFraction, count, nonZeroCount, maxAbsCdfError, rmse,
                truncatedAtZero);
    }

    /**
     * Figure 6 style curves at up to {@code points} evenly spaced order statistics of the sample
     * that was fitted: rows {x, empirical CDF, fitted CDF}.
     */
    public double[][] curve(EmpiricalCdf empirical, int points) {
        double[][] xy = empirical.points(points);
        double[] model = new double[xy[0].length];
        for (int k = 0; k < model.length; k++) {
            model[k] = cdf(xy[0][k]);
        }
        return new double[][] {xy[0], xy[1], model};
    }
}
