package io.fixres.stats;

import java.util.random.RandomGenerator;
import org.apache.commons.math3.special.Gamma;

/**
 * The Fréchet (inverse Weibull, GEV with positive shape) distribution that models the pooled
 * activations of a ResNet (supplement A.1, Figure 6):
 *
 * <pre>P(x) = exp(-(1 + xi (x - mu) / sigma)^(-1/xi))  where 1 + xi (x - mu) / sigma &gt; 0, else 0</pre>
 *
 * <p>The support starts at {@code mu - sigma / xi}. The paper keeps {@code xi = 0.3}.
 */
public final class FrechetDistribution {
    /** The shape the paper fixes for ResNet-50 pooled activations (supplement A.1). */
    public static final double PAPER_XI = 0.3;

    private final double mu;
    private final double sigma;
    private final double xi;

    public FrechetDistribution(double mu, double sigma, double xi) {
        if (!Double.isFinite(mu)) {
            throw new IllegalArgumentException("Fréchet location mu must be finite, got " + mu);
        }
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("Fréchet scale sigma must be > 0, got " + sigma);
        }
        if (!(xi > 0) || !Double.isFinite(xi)) {
            throw new IllegalArgumentException("Fréchet shape xi must be > 0, got " + xi);
        }
        this.mu = mu;
        this.sigma = sigma;
        this.xi = xi;
    }

    public double mu() { return mu; }
    public double sigma() { return sigma; }
    public double xi() { return xi; }

    /** Smallest value with non-zero density, {@code mu - sigma / xi}. */
    public double lowerBound() {
        return mu - sigma / xi;
    }

    public double cdf(double x) {
        double t = 1 + xi * (x - mu) / sigma;
        if (t <= 0) {
            return 0;
        }
        return Math.exp(-Math.pow(t, -1 / xi));
    }

    public double density(double x) {
        double t = 1 + xi * (x - mu) / sigma;
        if (t <= 0) {
            return 0;
        }
        double tail = Math.pow(t, -1 / xi);
        return Math.exp(-tail) * tail / (t * sigma);
    }

    /** Closed-form inverse of the CDF: {@code mu + sigma ((-ln p)^(-xi) - 1) / xi}. */
    public double quantile(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1], got " + p);
        }
        if (p == 0) {
            return lowerBound();
        }
        if (p == 1) {
            return Double.POSITIVE_INFINITY;
        }
        return mu + sigma * standardQuantile(p, xi);
    }

    /** Quantile of the standard (mu = 0, sigma = 1) distribution with shape {@code xi}. */
    static double standardQuantile(double p, double xi) {
        return (Math.pow(-Math.log(p), -xi) - 1) / xi;
    }

    /** One draw by inversion of the CDF. */
    public double sample(RandomGenerator rng) {
        return quantile(rng.nextDouble());
    }

    /** {@code mu + sigma (Gamma(1 - xi) - 1) / xi}; infinite when {@code xi >= 1}. */
    public double mean() {
        if (xi >= 1) {
            return Double.POSITIVE_INFINITY;
        }
        return mu + sigma * (Gamma.gamma(1 - xi) - 1) / xi;
    }

    /** {@code sigma^2 (Gamma(1 - 2 xi) - Gamma(1 - xi)^2) / xi^2}; infinite when {@code xi >= 1/2}. */
    public double variance() {
        if (xi >= 0.5) {
            return Double.POSITIVE_INFINITY;
        }
        double g1 = Gamma.gamma(1 - xi);
        double g2 = Gamma.gamma(1 - 2 * xi);
        return sigma * sigma * (g2 - g1 * g1) / (xi * xi);
    }

    @Override
    public String toString() {
        return "Frechet(mu=" + mu + ", sigma=" + sigma + ", xi=" + xi + ")";
    }
}
