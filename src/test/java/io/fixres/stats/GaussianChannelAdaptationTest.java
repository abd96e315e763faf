package io.fixres.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GaussianChannelAdaptationTest {

    @Test
    void scaleAndShiftByHand() {
        GaussianChannelAdaptation g = GaussianChannelAdaptation.of(
                new double[] {1.0, -2.0}, new double[] {2.0, 0.5},
                new double[] {3.0, 0.0}, new double[] {4.0, 1.0});
        // ch0: scale 2/4 = 0.5, shift 1 - 3*0.5 = -0.5; ch1: scale 0.5, shift -2
        assertThat(g.scale()).containsExactly(0.5f, 0.5f);
        assertThat(g.shift()).containsExactly(-0.5f, -2.0f);
    }

    @Test
    void constantTestChannelIsOnlyShifted() {
        GaussianChannelAdaptation g = GaussianChannelAdaptation.of(
                new double[] {1.0}, new double[] {2.0}, new double[] {3.0}, new double[] {0.0});
        assertThat(g.scale()).containsExactly(1f);
        assertThat(g.shift()).containsExactly(-2f);
    }

    @Test
    void mapsTestStatisticsOntoReference() {
        // N=2, C=2, spatial=2
        float[] train = {0, 2, 10, 10, 2, 4, 20, 40};
        float[] test = {5, 7, 1, 1, 9, 11, 3, 3};
        ChannelMoments ref = new ChannelMoments(2).add(train, 2, 2, 2);
        ChannelMoments measured = new ChannelMoments(2).add(test, 2, 2, 2);
        GaussianChannelAdaptation g = GaussianChannelAdaptation.between(ref, measured);

        float[] adapted = g.applyInPlace(test.clone(), 2, 2, 2);
        ChannelMoments after = new ChannelMoments(2).add(adapted, 2, 2, 2);
        for (int ch = 0; ch < 2; ch++) {
            assertThat(after.mean()[ch]).isCloseTo(ref.mean()[ch], within(1e-5));
            assertThat(after.std()[ch]).isCloseTo(ref.std()[ch], within(1e-5));
        }
        // channel 0: test {5,7,9,11} mean 8 std sqrt(5) -> train {0,2,2,4} mean 2 std sqrt(2)
        assertThat(adapted[0]).isCloseTo((float) (2 - 3 * Math.sqrt(2.0 / 5)), within(1e-6f));
    }

    @Test
    void rejectsMismatchedChannels() {
        assertThatThrownBy(() -> GaussianChannelAdaptation.of(new double[2], new double[2], new double[3], new double[2]))
                .hasMessageContaining("channel counts differ");
        GaussianChannelAdaptation g = GaussianChannelAdaptation.of(new double[1], new double[] {1}, new double[1], new double[] {1});
        assertThatThrownBy(() -> g.applyInPlace(new float[4], 2, 2, 1)).hasMessageContaining("expected 1 channels");
    }
}
