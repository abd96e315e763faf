package io.fixres.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.apache.commons.math3.analysis.integration.SimpsonIntegrator;
import org.junit.jupiter.api.Test;

class ApparentObjectSizeTest {

    @Test
    void expectedSigmaOfTorchvisionDefaults() {
        assertThat(ApparentObjectSize.expectedSigma(0.08, 1)).isCloseTo(0.7082, within(1e-4));
    }

    @Test
    void expectedSigmaMatchesNumericalIntegration() {
        SimpsonIntegrator simpson = new SimpsonIntegrator(1e-12, 1e-14, 3, 30);
        for (double[] ab : new double[][] {{0.08, 1}, {0.25, 0.75}, {0.5, 1}}) {
            double integral = simpson.integrate(10_000, Math::sqrt, ab[0], ab[1]) / (ab[1] - ab[0]);
            assertThat(ApparentObjectSize.expectedSigma(ab[0], ab[1])).isCloseTo(integral, within(1e-9));
        }
        assertThat(ApparentObjectSize.expectedSigma(0.25, 0.25)).isEqualTo(0.5);
    }

    @Test
    void expectedSigmaMatchesSampling() {
        SplittableRandom rng = new SplittableRandom(4);
        double sum = 0;
        int n = 400_000;
        for (int i = 0; i < n; i++) {
            sum += Math.sqrt(0.08 + 0.92 * rng.nextDouble());
        }
        assertThat(sum / n).isCloseTo(ApparentObjectSize.expectedSigma(0.08, 1), within(1e-3));
    }

    @Test
    void train224EqualisesAt277() {
        double k = ApparentObjectSize.equalisingTestResolution(224, 0.08, 1, 0.875);
        assertThat(k).isCloseTo(276.8, within(0.5));
        assertThat(ApparentObjectSize.equalisingTestResolution(224)).isEqualTo(k);
        // The sizes balance exactly there, and objects look smaller at test 224 (section 3).
        assertThat(ApparentObjectSize.expectedSigma(0.08, 1) * k / (0.875 * 224)).isCloseTo(1, within(1e-12));
        assertThat(ApparentObjectSize.expectedSizeRatio(224, 224, 0.08, 1, 0.875))
                .isCloseTo(0.7082 / 0.875, within(2e-4));
        assertThat(ApparentObjectSize.expectedSizeRatio(224, 448, 0.08, 1, 0.875))
                .isCloseTo(2 * ApparentObjectSize.expectedSizeRatio(224, 224, 0.08, 1, 0.875), within(1e-12));
    }

    @Test
    void resizeCropEqualisesAtCropRatioTimesTrain() {
        assertThat(ApparentObjectSize.equalisingTestResolutionResizeCrop(24, 0.875)).isCloseTo(21.0, within(1e-12));
        assertThat(ApparentObjectSize.equalisingTestResolutionResizeCrop(224, 0.875)).isCloseTo(196.0, within(1e-12));
    }

    @Test
    void nearestStrideAligned() {
        assertThat(ApparentObjectSize.nearestStrideAligned(276.8, 32)).isEqualTo(288);
        assertThat(ApparentObjectSize.nearestStrideAligned(271.9, 32)).isEqualTo(256);
        assertThat(ApparentObjectSize.nearestStrideAligned(272, 32)).isEqualTo(288); // tie rounds up
        assertThat(ApparentObjectSize.nearestStrideAligned(5, 32)).isEqualTo(32);
        assertThat(ApparentObjectSize.nearestStrideAligned(21, 4)).isEqualTo(20);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> ApparentObjectSize.expectedSigma(0, 1)).hasMessageContaining("0 < min <= max <= 1");
        assertThatThrownBy(() -> ApparentObjectSize.expectedSigma(0.5, 0.2)).hasMessageContaining("(0.5, 0.2)");
        assertThatThrownBy(() -> ApparentObjectSize.equalisingTestResolution(224, 0.08, 1, 1.2)).hasMessageContaining("crop ratio");
        assertThatThrownBy(() -> ApparentObjectSize.nearestStrideAligned(100, 0)).hasMessageContaining("stride");
        assertThatThrownBy(() -> ApparentObjectSize.equalisingTestResolution(0)).hasMessageContaining("train resolution");
    }
}
