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
 */
public record FrechetFitResult(
        @JsonProperty("mu") double mu,
        @JsonProperty("sigma") double sigma,
        @JsonProperty("xi") double xi,
        @JsonProperty("zero_fraction") double zeroFraction,
        @JsonProperty("count") long count,
        @JsonProperty("non_zero_count") long nonZeroCount,
        @JsonProperty("max_abs_cdf_error") double maxAbsCdfError,
        @JsonProperty("rmse") double rmse) {

    public FrechetDistribution distribution() {
        return new FrechetDistribution(mu, sigma, xi);
    }

    /**
     * Figure 6 style curves at up to {@code points} evenly spaced order statistics of the sample
     * that was fitted: rows {x, empirical CDF, fitted CDF}.
     */
    public double[][] curve(EmpiricalCdf empirical, int points) {
        double[][] xy = empirical.points(points);
        FrechetDistribution fitted = distribution();
        double[] model = new double[xy[0].length];
        for (int k = 0; k < model.length; k++) {
            model[k] = fitted.cdf(xy[0][k]);
        }
        return new double[][] {xy[0], xy[1], model};
    }
}
