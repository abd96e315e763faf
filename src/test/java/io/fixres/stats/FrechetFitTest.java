package io.fixres.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrechetFitTest {

    /** 40k draws of Frechet(1.2, 0.4, 0.3) and 10k exact zeros, shuffled: 20% zeros of 50k. */
    static float[] frechetWithZeros(double mu, double sigma, long seed) {
        FrechetDistribution d = new FrechetDistribution(mu, sigma, 0.3);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[50_000];
        for (int i = 0; i < 40_000; i++) {
            v[i] = (float) d.sample(rng);
        }
        for (int i = v.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return v;
    }

    @Test
    void recoversKnownParametersWithFixedXi() {
        FrechetFitResult r = FrechetFit.fit(frechetWithZeros(1.2, 0.4, 11), false, 0.3);
        assertThat(r.mu()).isCloseTo(1.2, within(0.01));
        assertThat(r.sigma()).isCloseTo(0.4, within(0.01));
        assertThat(r.xi()).isEqualTo(0.3);
        assertThat(r.zeroFraction()).isCloseTo(0.2, within(0.005));
        assertThat(r.count()).isEqualTo(50_000);
        assertThat(r.nonZeroCount()).isEqualTo(40_000);
        assertThat(r.maxAbsCdfError()).isLessThan(0.01);
        assertThat(r.rmse()).isLessThan(0.003);
    }

    @Test
    void zerosDoNotChangeTheFit() {
        float[] withZeros = frechetWithZeros(1.2, 0.4, 11);
        float[] nonZero = new float[40_000];
        int k = 0;
        for (float v : withZeros) {
            if (v != 0) {
                nonZero[k++] = v;
            }
        }
        FrechetFitResult a = FrechetFit.fit(withZeros, false, 0.3);
        FrechetFitResult b = FrechetFit.fit(nonZero, false, 0.3);
        assertThat(b.mu()).isEqualTo(a.mu());
        assertThat(b.sigma()).isEqualTo(a.sigma());
        assertThat(b.zeroFraction()).isZero();
    }

    @Test
    void recoversShapeWhenFree() {
        FrechetFitResult r = FrechetFit.builder().fitXi(true).xi(0.5).build()
                .fit(frechetWithZeros(1.2, 0.4, 12));
        assertThat(r.xi()).isCloseTo(0.3, within(0.03));
        assertThat(r.mu()).isCloseTo(1.2, within(0.02));
        assertThat(r.sigma()).isCloseTo(0.4, within(0.02));
        assertThat(r.maxAbsCdfError()).isLessThan(0.01);
    }

    @Test
    void uniformDataFitsWorse() {
        SplittableRandom rng = new SplittableRandom(13);
        float[] uniform = new float[40_000];
        for (int i = 0; i < uniform.length; i++) {
            uniform[i] = (float) (0.01 + rng.nextDouble());
        }
        FrechetFitResult good = FrechetFit.fit(frechetWithZeros(1.2, 0.4, 11), false, 0.3);
        FrechetFitResult bad = FrechetFit.fit(uniform, false, 0.3);
        assertThat(bad.maxAbsCdfError()).isGreaterThan(0.02).isGreaterThan(3 * good.maxAbsCdfError());
        assertThat(bad.rmse()).isGreaterThan(3 * good.rmse());
    }

    @Test
    void initialGuessMatchesQuartilesOfTheModel() {
        // Quartiles of the exact distribution -> the guess is the distribution itself.
        FrechetDistribution d = new FrechetDistribution(1.2, 0.4, 0.3);
        float[] v = new float[4001];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) d.quantile((i + 0.5) / v.length);
        }
        double[] guess = FrechetFit.initialGuess(EmpiricalCdf.ofNonZero(v), 0.3);
        assertThat(guess[0]).isCloseTo(1.2, within(2e-3));
        assertThat(guess[1]).isCloseTo(0.4, within(2e-3));
    }

    @Test
    void curveGivesEmpiricalAndFittedCdf() {
        float[] v = frechetWithZeros(1.2, 0.4, 11);
        EmpiricalCdf ecdf = EmpiricalCdf.ofNonZero(v);
        FrechetFitResult r = FrechetFit.builder().build().fit(ecdf);
        double[][] c = r.curve(ecdf, 101);
        assertThat(c).hasNumberOfRows(3);
        assertThat(c[0]).hasSize(101);
        assertThat(c[0][0]).isEqualTo(ecdf.orderStatistic(0));
        assertThat(c[0][100]).isEqualTo(ecdf.orderStatistic(39_999));
        assertThat(c[1][0]).isCloseTo(0.5 / 40_000, within(1e-15));
        for (int k = 0; k < 101; k++) {
            assertThat(c[2][k]).isCloseTo(c[1][k], within(r.maxAbsCdfError() + 1e-12));
        }
    }

    @Test
    void rejectsTooFewNonZeroValues() {
        float[] v = new float[100];
        for (int i = 0; i < 9; i++) {
            v[i] = i + 1;
        }
        assertThatThrownBy(() -> FrechetFit.fit(v, false, 0.3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 10 non-zero values, got 9 (of 100 values)");
    }

    @Test
    void rejectsNaN() {
        float[] v = new float[20];
        java.util.Arrays.fill(v, 1f);
        v[5] = Float.NaN;
        assertThatThrownBy(() -> FrechetFit.fit(v, false, 0.3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN at index 5");
    }

    @Test
    void rejectsConstantValues() {
        float[] v = new float[20];
        java.util.Arrays.fill(v, 2f);
        assertThatThrownBy(() -> FrechetFit.fit(v, false, 0.3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("all 20 non-zero values equal 2.0");
    }

    @Test
    void truncatedModelRecoversAFrechetConditionedOnPositiveValues() {
        // Fréchet(0.2, 0.3, 0.3) has support from 0.2 - 1 = -0.8 and F(0) = 0.21: keep the positive draws only
        FrechetDistribution d = new FrechetDistribution(0.2, 0.3, 0.3);
        SplittableRandom rng = new SplittableRandom(5);
        float[] positive = new float[30_000];
        for (int i = 0; i < positive.length; ) {
            double x = d.sample(rng);
            if (x > 0) {
                positive[i++] = (float) x;
            }
        }
        FrechetFitResult truncated = FrechetFit.builder().truncatedAtZero(true).build().fit(positive);
        assertThat(truncated.truncatedAtZero()).isTrue();
        assertThat(truncated.mu()).isCloseTo(0.2, within(0.01));
        assertThat(truncated.sigma()).isCloseTo(0.3, within(0.01));
        assertThat(truncated.maxAbsCdfError()).isLessThan(0.01);
        assertThat(truncated.cdf(0)).isEqualTo(0);
        assertThat(truncated.cdf(0.5)).isCloseTo((d.cdf(0.5) - d.cdf(0)) / (1 - d.cdf(0)), within(0.005));
        // the plain model cannot follow the positive density at zero: its largest error sits there
        FrechetFitResult plain = FrechetFit.builder().build().fit(positive);
        assertThat(plain.truncatedAtZero()).isFalse();
        assertThat(plain.maxAbsCdfError()).isGreaterThan(0.03);
        assertThat(plain.maxAbsCdfError()).isCloseTo(plain.cdf(0), within(0.01));
    }
}
