package io.fixres.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BilinearResamplerTest {
    private static final float EPS = 1e-6f;

    @Test
    void upsampling2x2To4x4IsBilinearWithHalfPixelCentres() {
        // 2 -> 4 per axis: [x0, 0.75 x0 + 0.25 x1, 0.25 x0 + 0.75 x1, x1]; value = 2 * row + col.
        FloatImage out = BilinearResampler.resize(Images.of(1, 2, 2, 0, 1, 2, 3), 4, 4);
        float[] expected = {
            0.0f, 0.25f, 0.75f, 1.0f,
            0.5f, 0.75f, 1.25f, 1.5f,
            1.5f, 1.75f, 2.25f, 2.5f,
            2.0f, 2.25f, 2.75f, 3.0f};
        assertThat(out.height()).isEqualTo(4);
        assertThat(out.width()).isEqualTo(4);
        assertThat(out.data()).containsExactly(expected, within(EPS));
    }

    @Test
    void downsamplingWidensTheTriangleToTheScale() {
        // 8 -> 4: support 2 input px, interior weights (1, 3, 3, 1) / 8 centred between pixel pairs.
        FloatImage spike = Images.of(1, 1, 8, 0, 0, 0, 8, 0, 0, 0, 0);
        assertThat(BilinearResampler.resize(spike, 1, 4).data())
                .containsExactly(new float[] {0f, 3f, 1f, 0f}, within(EPS));
        // 4 -> 2 at the borders: taps (0.75, 0.75, 0.25) renormalised over the pixels that exist.
        FloatImage ramp = Images.of(1, 1, 4, 0, 1, 2, 3);
        assertThat(BilinearResampler.resize(ramp, 1, 2).data())
                .containsExactly(new float[] {1.25f / 1.75f, 4f / 1.75f}, within(EPS));
    }

    @Test
    void constantImageStaysConstant() {
        float[] d = new float[3 * 7 * 5];
        java.util.Arrays.fill(d, 0.3f);
        for (int[] size : new int[][] {{4, 11}, {13, 2}, {1, 1}, {7, 5}}) {
            FloatImage out = BilinearResampler.resize(new FloatImage(3, 7, 5, d), size[0], size[1]);
            assertThat(out.channels()).isEqualTo(3);
            for (float v : out.data()) {
                assertThat(v).isCloseTo(0.3f, within(EPS));
            }
        }
    }

    @Test
    void rampStaysLinearAwayFromTheBorders() {
        float[] ramp = new float[20];
        for (int i = 0; i < 20; i++) {
            ramp[i] = i;
        }
        // 20 -> 10: output i is centred at input coordinate 2(i + 0.5), i.e. value 2i + 0.5.
        FloatImage down = BilinearResampler.resize(new FloatImage(1, 1, 20, ramp), 1, 10);
        for (int i = 1; i < 9; i++) {
            assertThat(down.get(0, 0, i)).isCloseTo(2 * i + 0.5f, within(1e-5f));
        }
        // 10 -> 20 on the vertical axis: value 0.5 i - 0.25 inside.
        FloatImage up = BilinearResampler.resize(new FloatImage(1, 10, 1, java.util.Arrays.copyOf(ramp, 10)), 20, 1);
        for (int i = 1; i < 19; i++) {
            assertThat(up.get(0, i, 0)).isCloseTo(0.5f * i - 0.25f, within(1e-5f));
        }
    }

    @Test
    void sameSizeIsReturnedUntouched() {
        FloatImage img = Images.random(2, 5, 6, 1);
        assertThat(BilinearResampler.resize(img, 5, 6)).isSameAs(img);
    }

    @Test
    void channelsAreResampledIndependently() {
        FloatImage two = Images.of(2, 1, 2, 0, 1, 10, 20);
        assertThat(BilinearResampler.resize(two, 1, 4).data())
                .containsExactly(new float[] {0, 0.25f, 0.75f, 1, 10, 12.5f, 17.5f, 20}, within(EPS));
    }

    @Test
    void rejectsNonPositiveTarget() {
        assertThatThrownBy(() -> BilinearResampler.resize(Images.random(1, 2, 2, 0), 0, 3))
                .hasMessageContaining("0x3");
    }
}
