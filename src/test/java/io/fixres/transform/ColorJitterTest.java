package io.fixres.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ColorJitterTest {
    private static final float EPS = 1e-6f;
    // Two RGB pixels: (0.2, 0.4, 0.6) and (1.0, 0.5, 0.0); greys 0.363 and 0.5925, mean 0.47775.
    private static final FloatImage RGB = Images.of(3, 1, 2, 0.2f, 1.0f, 0.4f, 0.5f, 0.6f, 0.0f);

    @Test
    void brightnessScalesAndClamps() {
        assertThat(ColorJitter.adjustBrightness(RGB, 1.5).data())
                .containsExactly(new float[] {0.3f, 1.0f, 0.6f, 0.75f, 0.9f, 0.0f}, within(EPS));
    }

    @Test
    void contrastBlendsWithTheMeanGreyLevel() {
        // 0.5 x + 0.5 * 0.47775
        assertThat(ColorJitter.adjustContrast(RGB, 0.5).data()).containsExactly(
                new float[] {0.338875f, 0.738875f, 0.438875f, 0.488875f, 0.538875f, 0.238875f}, within(EPS));
        FloatImage grey = Images.of(1, 1, 2, 0.2f, 0.6f); // one channel: the channel is the grey image
        assertThat(ColorJitter.adjustContrast(grey, 0.5).data())
                .containsExactly(new float[] {0.3f, 0.5f}, within(EPS));
    }

    @Test
    void saturationBlendsWithTheGreyImage() {
        assertThat(ColorJitter.adjustSaturation(RGB, 0.0).data())
                .containsExactly(new float[] {0.363f, 0.5925f, 0.363f, 0.5925f, 0.363f, 0.5925f}, within(EPS));
        // 2 x - grey, clamped.
        assertThat(ColorJitter.adjustSaturation(RGB, 2.0).data())
                .containsExactly(new float[] {0.037f, 1.0f, 0.437f, 0.4075f, 0.837f, 0.0f}, within(EPS));
        FloatImage grey = Images.of(1, 1, 2, 0.2f, 0.6f);
        assertThat(ColorJitter.adjustSaturation(grey, 0.0)).isSameAs(grey);
    }

    @Test
    void brightnessOnlyJitterIsOneFactorInRange() {
        ColorJitter jitter = new ColorJitter(0.3, 0, 0);
        for (long seed = 0; seed < 50; seed++) {
            FloatImage out = jitter.apply(Images.of(1, 1, 2, 0.2f, 0.4f), new SplittableRandom(seed));
            float f = out.get(0, 0, 0) / 0.2f;
            assertThat(f).isBetween(0.7f, 1.3f);
            assertThat(out.get(0, 0, 1)).isCloseTo(0.4f * f, within(EPS));
        }
    }

    @Test
    void zeroStrengthIsIdentityAndResultsAreReproducible() {
        assertThat(new ColorJitter(0, 0, 0).apply(RGB, new SplittableRandom(1))).isSameAs(RGB);
        ColorJitter jitter = new ColorJitter(0.3, 0.3, 0.3);
        assertThat(jitter.apply(RGB, new SplittableRandom(5))).isEqualTo(jitter.apply(RGB, new SplittableRandom(5)));
        assertThat(jitter.toString()).isEqualTo("ColorJitter(brightness=0.3, contrast=0.3, saturation=0.3)");
    }

    @Test
    void rejectsUnsupportedChannelCounts() {
        assertThatThrownBy(() -> ColorJitter.adjustSaturation(Images.random(2, 2, 2, 0), 0.5))
                .hasMessageContaining("1 or 3 channels, got 2");
        assertThatThrownBy(() -> new ColorJitter(-0.1, 0, 0)).hasMessageContaining(">= 0");
    }
}
