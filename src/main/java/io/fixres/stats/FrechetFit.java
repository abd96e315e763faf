package io.fixres.stats;

import java.util.Arrays;
import org.apache.commons.math3.exception.ConvergenceException;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.exception.TooManyIterationsException;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresBuilder;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresOptimizer;
import org.apache.commons.math3.fitting.leastsquares.LeastSquaresProblem;
import org.apache.commons.math3.fitting.leastsquares.LevenbergMarquardtOptimizer;
import org.apache.commons.math3.fitting.leastsquares.MultivariateJacobianFunction;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.util.Pair;

/**
 * Least-squares fit of the Fréchet CDF to the empirical CDF of the non-zero activations, the
 * procedure of supplement A.1 / Figure 6 (the authors did not publish theirs). Zeros are ReLU
 * outliers: excluded, their fraction reported. {@code xi} is fixed at 0.3 by default, as in the
 * paper, or fitted.
 *
 * <p>Levenberg-Marquardt with an analytic Jacobian on {@code (mu, ln sigma[, ln xi])}, so that
 * {@code sigma} and {@code xi} stay positive. The optimiser sees at most {@link
 * Builder#maxFitPoints} evenly spaced order statistics; the reported errors use all points.
 */
public final class FrechetFit {
    /** Fewer non-zero values than this do not make an empirical CDF worth fitting. */
    public static final int MIN_NON_ZERO = 10;

    private final double xi;
    private final boolean fitXi;
    private final boolean truncatedAtZero;
    private final int maxFitPoints;

    private FrechetFit(Builder b) {
        this.xi = b.xi;
        this.fitXi = b.fitXi;
        this.truncatedAtZero = b.truncatedAtZero;
        this.maxFitPoints = b.maxFitPoints;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether the shape is fitted too (else fixed). */
    public boolean fitsXi() { return fitXi; }

    /** Whether the model is conditioned on x > 0. */
    public boolean truncatedAtZero() { return truncatedAtZero; }

    /** Convenience: fit {@code values} with {@code xi} fixed, or starting from it if {@code fitXi}. */
    public static FrechetFitResult fit(float[] values, boolean fitXi, double xi) {
        return builder().fitXi(fitXi).xi(xi).build().fit(values);
    }

    public FrechetFitResult fit(float[] values) {
        return fit(EmpiricalCdf.ofNonZero(values));
    }

    /**
     * @throws IllegalArgumentException with fewer than {@link #MIN_NON_ZERO} non-zero values or
     *                                  when they are all equal
     * @throws IllegalStateException    when the optimiser does not converge
     */
    public FrechetFitResult fit(EmpiricalCdf empirical) {
        int n = empirical.nonZeroCount();
        if (n < MIN_NON_ZERO) {
            throw new IllegalArgumentException("Fréchet fit needs at least " + MIN_NON_ZERO
                    + " non-zero values, got " + n + " (of " + empirical.count() + " values)");
        }
        double[][] xy = empirical.points(maxFitPoints);
        double[] start = initialGuess(empirical, xi);
        double[] startParams = fitXi
                ? new double[] {start[0], Math.log(start[1]), Math.log(xi)}
                : new double[] {start[0], Math.log(start[1])};
        LeastSquaresProblem problem = new LeastSquaresBuilder()
                .start(startParams)
                .model(new CdfModel(xy[0], fitXi, xi, truncatedAtZero))
                .target(xy[1])
                .maxEvaluations(2000)
                .maxIterations(2000)
                .build();
        LeastSquaresOptimizer.Optimum optimum;
        try {
            optimum = new LevenbergMarquardtOptimizer().optimize(problem);
        } catch (TooManyEvaluationsException | TooManyIterationsException | ConvergenceException e) {
            throw new IllegalStateException("Fréchet fit did not converge on " + n
                    + " non-zero values: " + e.getMessage(), e);
        }
        RealVector p = optimum.getPoint();
        double mu = p.getEntry(0);
        double sigma = Math.exp(p.getEntry(1));
        double fittedXi = fitXi ? Math.exp(p.getEntry(2)) : xi;
        FrechetFitResult model = new FrechetFitResult(mu, sigma, fittedXi, empirical.zeroFraction(), empirical.count(),
                n, 0, 0, truncatedAtZero);
        return new FrechetFitResult(mu, sigma, fittedXi, empirical.zeroFraction(), empirical.count(),
                n, empirical.kolmogorovDistance(model::cdf), empirical.rmse(model::cdf), truncatedAtZero);
    }

    /**
     * (mu, sigma) matching the 25% and 75% quantiles for the given shape:
     * {@code q_p = mu + sigma g(p)} with g the standard quantile.
     */
    static double[] initialGuess(EmpiricalCdf empirical, double xi) {
        int n = empirical.nonZeroCount();
        double lo = empirical.orderStatistic((int) (0.25 * (n - 1)));
        double hi = empirical.orderStatistic((int) Math.ceil(0.75 * (n - 1)));
        double gLo = FrechetDistribution.standardQuantile(0.25, xi);
        double gHi = FrechetDistribution.standardQuantile(0.75, xi);
        if (hi <= lo) {
            // Heavy ties in the middle: fall back to the full range.
            lo = empirical.orderStatistic(0);
            hi = empirical.orderStatistic(n - 1);
            gLo = FrechetDistribution.standardQuantile(0.5 / n, xi);
            gHi = FrechetDistribution.standardQuantile(1 - 0.5 / n, xi);
            if (hi <= lo) {
                throw new IllegalArgumentException(
                        "all " + n + " non-zero values equal " + lo + ": no distribution to fit");
            }
        }
        double sigma = (hi - lo) / (gHi - gLo);
        double mu = lo - sigma * gLo;
        return new double[] {mu, sigma};
    }

    /**
     * F(x; mu, e^a, xi) at the fit points and its Jacobian. With t = 1 + xi z, z = (x - mu)/sigma,
     * T = t^(-1/xi), F = e^(-T): dF/dmu = -F t^(-1/xi-1)/sigma, dF/dsigma = dF/dmu * z,
     * dF/dxi = -F T (ln t / xi^2 - z / (xi t)); zero outside the support (t &lt;= 0).
     * Truncated at zero: G = (F(x) - F(0)) / (1 - F(0)), dG = (dF(x) - (1 - G) dF(0)) / (1 - F(0)).
     */
    private static final class CdfModel implements MultivariateJacobianFunction {
        private final double[] x;
        private final boolean fitXi;
        private final double fixedXi;
        private final boolean truncatedAtZero;

        CdfModel(double[] x, boolean fitXi, double fixedXi, boolean truncatedAtZero) {
            this.x = x;
            this.fitXi = fitXi;
            this.fixedXi = fixedXi;
            this.truncatedAtZero = truncatedAtZero;
        }

        @Override
        public Pair<RealVector, RealMatrix> value(RealVector point) {
            double mu = point.getEntry(0);
            double sigma = Math.exp(point.getEntry(1));
            double xi = fitXi ? Math.exp(point.getEntry(2)) : fixedXi;
            int cols = fitXi ? 3 : 2;
            double[] f = new double[x.length];
            double[][] jac = new double[x.length][cols];
            for (int i = 0; i < x.length; i++) {
                f[i] = cdfAndGradient(x[i], mu, sigma, xi, jac[i]);
            }
            if (truncatedAtZero) {
                double[] gradAtZero = new double[cols];
                double atZero = cdfAndGradient(0, mu, sigma, xi, gradAtZero);
                double mass = Math.max(1 - atZero, 1e-12); // all mass below zero only far from any sane start
                for (int i = 0; i < x.length; i++) {
                    double g = x[i] <= 0 ? 0 : (f[i] - atZero) / mass;
                    for (int j = 0; j < cols; j++) {
                        jac[i][j] = x[i] <= 0 ? 0 : (jac[i][j] - (1 - g) * gradAtZero[j]) / mass;
                    }
                    f[i] = g;
                }
            }
            return new Pair<>(new ArrayRealVector(f, false), new Array2DRowRealMatrix(jac, false));
        }

        /** F(x) with its gradient in (mu, ln sigma[, ln xi]) written to {@code grad}. */
        private double cdfAndGradient(double x, double mu, double sigma, double xi, double[] grad) {
            double z = (x - mu) / sigma;
            double t = 1 + xi * z;
            if (t <= 0) {
                Arrays.fill(grad, 0);
                return 0; // below the support: F = 0, flat
            }
            double tail = Math.pow(t, -1 / xi);
            double cdf = Math.exp(-tail);
            double dMu = -cdf * tail / (t * sigma);
            grad[0] = dMu;
            grad[1] = dMu * z * sigma; // d/d(ln sigma) = sigma d/dsigma
            if (fitXi) {
                double dXi = -cdf * tail * (Math.log(t) / (xi * xi) - z / (xi * t));
                grad[2] = dXi * xi; // d/d(ln xi)
            }
            return cdf;
        }
    }

    public static final class Builder {
        private double xi = FrechetDistribution.PAPER_XI;
        private boolean fitXi;
        private boolean truncatedAtZero;
        private int maxFitPoints = 2000;

        private Builder() {}

        /** The fixed shape, or the starting shape when {@link #fitXi(boolean)} is on. Default 0.3. */
        public Builder xi(double xi) {
            if (!(xi > 0) || !Double.isFinite(xi)) {
                throw new IllegalArgumentException("Fréchet shape xi must be > 0, got " + xi);
            }
            this.xi = xi;
            return this;
        }

        /** Fit the shape too instead of keeping it fixed (the paper keeps it at 0.3). */
        public Builder fitXi(boolean fitXi) {
            this.fitXi = fitXi;
            return this;
        }

        /**
         * Fit the Fréchet conditioned on {@code x > 0}, {@code (F(x) - F(0)) / (1 - F(0))}, instead
         * of the plain one. The non-zero pooled activations are averages of ReLU outputs, hence
         * positive; when many lie near zero the plain fit puts mass {@code F(0)} below zero and its
         * largest CDF error sits there. Off by default (the paper fits the plain model).
         */
        public Builder truncatedAtZero(boolean truncated) {
            this.truncatedAtZero = truncated;
            return this;
        }

        /** Order statistics the optimiser sees; default 2000. */
        public Builder maxFitPoints(int maxFitPoints) {
            if (maxFitPoints < 10) {
                throw new IllegalArgumentException("maxFitPoints must be >= 10, got " + maxFitPoints);
            }
            this.maxFitPoints = maxFitPoints;
            return this;
        }

        public FrechetFit build() {
            return new FrechetFit(this);
        }
    }
}
