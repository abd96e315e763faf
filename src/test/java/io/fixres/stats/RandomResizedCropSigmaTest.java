package io.fixres.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fixres.transform.RandomResizedCrop;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomResizedCropSigmaTest {
    private static final double CLOSED_FORM = ApparentObjectSize.expectedSigma(0.08, 1);

    @Test
    void monteCarloOverTheRealSamplerMatchesTheClosedFormWhenNoCropIsRejected() {
        // Ratio fixed at 1 on a square image: every draw fits, so sigma = sqrt(s), s ~ U(0.08, 1) (section 3).
        RandomResizedCrop crop = new RandomResizedCrop(224, 0.08, 1, 1, 1);
        RandomResizedCropSigma.Estimate e = RandomResizedCropSigma.monteCarlo(crop, 1000, 200_000, new SplittableRandom(7));
        assertThat(e.mean()).isCloseTo(CLOSED_FORM, within(0.005));
        assertThat(e.samples()).isEqualTo(200_000);
        assertThat(e.standardError()).isBetween(1e-4, 1e-3);
    }

    @Test
    void withoutRejectionTheIntegralIsTheClosedForm() {
        assertThat(RandomResizedCropSigma.expectedOnSquareImage(0.08, 1, 1, 1)).isCloseTo(CLOSED_FORM, within(1e-9));
        assertThat(RandomResizedCropSigma.expectedOnSquareImage(0.25, 0.75, 1, 1))
                .isCloseTo(ApparentObjectSize.expectedSigma(0.25, 0.75), within(1e-9));
        assertThat(RandomResizedCropSigma.expectedOnSquareImage(0.25, 0.25, 1, 1)).isEqualTo(0.5);
    }

    @Test
    void torchvisionDefaultsRejectLargeCropsSoTheRealMeanIsLower() {
        // Kept iff s max(r, 1/r) <= 1: P(keep | s) = 1 below s = 3/4, -ln s / ln(4/3) above; then 10 attempts
        // and the whole image. Independent midpoint integration (200k cells) gives 0.6671337.
        double expected = RandomResizedCropSigma.expectedOnSquareImage(0.08, 1, 3.0 / 4, 4.0 / 3);
        assertThat(expected).isCloseTo(0.6671337, within(1e-6));
        RandomResizedCrop crop = new RandomResizedCrop(224);
        double sampled = RandomResizedCropSigma.monteCarlo(crop, 1000, 200_000, new SplittableRandom(11)).mean();
        assertThat(sampled).isCloseTo(expected, within(0.005));
        assertThat(Math.abs(sampled - CLOSED_FORM)).isGreaterThan(0.03);
    }

    @Test
    void fixedWideRatioKeepsOnlyScalesUpToThreeQuartersAndFallsBackToAClampedImage() {
        // r = 4/3: a draw fits iff s <= 3/4 (probability q = 0.67 / 0.92); the fallback keeps a
        // 3/4-high window of the square, sigma sqrt(3/4).
        double q = (0.75 - 0.08) / 0.92;
        double kept = 2.0 / 3 * (Math.pow(0.75, 1.5) - Math.pow(0.08, 1.5)) / 0.67;
        double fallback = Math.pow(1 - q, 10);
        double expected = (1 - fallback) * kept + fallback * Math.sqrt(0.75);
        assertThat(RandomResizedCropSigma.expectedOnSquareImage(0.08, 1, 4.0 / 3, 4.0 / 3)).isCloseTo(expected, within(1e-7));
        // The same from a fixed ratio below 1 (tall crops).
        assertThat(RandomResizedCropSigma.expectedOnSquareImage(0.08, 1, 3.0 / 4, 3.0 / 4)).isCloseTo(expected, within(1e-7));
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> RandomResizedCropSigma.expectedOnSquareImage(0, 1, 1, 1)).hasMessageContaining("scale");
        assertThatThrownBy(() -> RandomResizedCropSigma.expectedOnSquareImage(0.1, 1, 2, 1)).hasMessageContaining("ratio");
        RandomResizedCrop crop = new RandomResizedCrop(8);
        assertThatThrownBy(() -> RandomResizedCropSigma.monteCarlo(crop, 0, 10, new SplittableRandom(1)))
                .hasMessageContaining("image side");
        assertThatThrownBy(() -> RandomResizedCropSigma.monteCarlo(crop, 10, 1, new SplittableRandom(1)))
                .hasMessageContaining("Monte Carlo samples must be >= 2, got 1");
    }
}
