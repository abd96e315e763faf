package io.fixres.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrechetDistributionTest {
    private final FrechetDistribution d = new FrechetDistribution(1.2, 0.4, 0.3);

    @Test
    void cdfAtLocationIsOneOverE() {
        // t = 1 at x = mu, so P = exp(-1).
        assertThat(d.cdf(1.2)).isCloseTo(Math.exp(-1), within(1e-15));
    }

    @Test
    void cdfIsZeroBelowSupport() {
        assertThat(d.lowerBound()).isCloseTo(1.2 - 0.4 / 0.3, within(1e-15));
        assertThat(d.cdf(d.lowerBound())).isZero();
        assertThat(d.cdf(-5)).isZero();
        assertThat(d.density(-5)).isZero();
    }

    @Test
    void cdfByHand() {
        // x = 2: t = 1 + 0.3 * 0.8 / 0.4 = 1.6; P = exp(-1.6^(-1/0.3)).
        assertThat(d.cdf(2.0)).isCloseTo(Math.exp(-Math.pow(1.6, -1 / 0.3)), within(1e-15));
    }

    @Test
    void quantileInvertsCdf() {
        for (double p : new double[] {1e-6, 0.01, 0.25, 0.5, 0.75, 0.99, 1 - 1e-9}) {
            assertThat(d.cdf(d.quantile(p))).isCloseTo(p, within(1e-12));
        }
        assertThat(d.quantile(0)).isEqualTo(d.lowerBound());
        assertThat(d.quantile(1)).isInfinite();
        assertThat(d.quantile(Math.exp(-1))).isCloseTo(1.2, within(1e-12));
    }

    @Test
    void densityIsDerivativeOfCdf() {
        double h = 1e-6;
        for (double x : new double[] {0.5, 1.0, 1.2, 2.0, 5.0}) {
            double numeric = (d.cdf(x + h) - d.cdf(x - h)) / (2 * h);
            assertThat(d.density(x)).isCloseTo(numeric, within(1e-7));
        }
    }

    @Test
    void meanMatchesGammaFormulaAndSamples() {
        // Gamma(0.7) = 1.298055332647558
        assertThat(d.mean()).isCloseTo(1.2 + 0.4 * (1.298055332647558 - 1) / 0.3, within(1e-12));
        SplittableRandom rng = new SplittableRandom(7);
        int n = 200_000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < n; i++) {
            double v = d.sample(rng);
            sum += v;
            sumSq += v * v;
        }
        double mean = sum / n;
        double var = sumSq / n - mean * mean;
        // standard error of the mean = sqrt(var / n) ~ 0.0015
        assertThat(mean).isCloseTo(d.mean(), within(0.006));
        assertThat(var).isCloseTo(d.variance(), within(0.1 * d.variance()));
    }

    @Test
    void heavyTailsHaveInfiniteMoments() {
        assertThat(new FrechetDistribution(0, 1, 1.0).mean()).isInfinite();
        assertThat(new FrechetDistribution(0, 1, 0.5).variance()).isInfinite();
    }

    @Test
    void rejectsInvalidParameters() {
        assertThatThrownBy(() -> new FrechetDistribution(0, 0, 0.3)).hasMessageContaining("sigma");
        assertThatThrownBy(() -> new FrechetDistribution(0, 1, -0.1)).hasMessageContaining("xi");
        assertThatThrownBy(() -> new FrechetDistribution(Double.NaN, 1, 0.3)).hasMessageContaining("mu");
        assertThatThrownBy(() -> d.quantile(1.5)).hasMessageContaining("[0, 1]");
    }
}
