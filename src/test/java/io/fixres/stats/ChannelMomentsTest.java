package io.fixres.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChannelMomentsTest {

    @Test
    void nchwByHand() {
        // N=2, C=2, H*W=2: channel 0 = {1, 2, 5, 6}, channel 1 = {0, 0, 4, 4}
        float[] data = {1, 2, 0, 0, 5, 6, 4, 4};
        ChannelMoments m = new ChannelMoments(2).add(data, 2, 2, 2);
        assertThat(m.count()).isEqualTo(4);
        assertThat(m.mean()).containsExactly(3.5, 2.0);
        assertThat(m.variance()).containsExactly(4.25, 4.0); // population variance
        assertThat(m.std()).containsExactly(Math.sqrt(4.25), 2.0);
    }

    @Test
    void ncByHand() {
        float[] data = {1, 10, 3, 20, 5, 30};
        ChannelMoments m = new ChannelMoments(2).add(data, 3, 2, 1);
        assertThat(m.mean()).containsExactly(3.0, 20.0);
        assertThat(m.variance()[0]).isCloseTo(8.0 / 3, within(1e-15));
        assertThat(m.variance()[1]).isCloseTo(200.0 / 3, within(1e-12));
    }

    @Test
    void batchesAndMergeEqualOnePass() {
        SplittableRandom rng = new SplittableRandom(3);
        int c = 3;
        int spatial = 5;
        float[] all = new float[10 * c * spatial];
        for (int i = 0; i < all.length; i++) {
            all[i] = (float) (1000 + rng.nextGaussian()); // large offset: catches naive sum-of-squares
        }
        ChannelMoments onePass = new ChannelMoments(c).add(all, 10, c, spatial);

        float[] first = java.util.Arrays.copyOfRange(all, 0, 3 * c * spatial);
        float[] second = java.util.Arrays.copyOfRange(all, 3 * c * spatial, all.length);
        ChannelMoments streamed = new ChannelMoments(c).add(first, 3, c, spatial).add(second, 7, c, spatial);
        ChannelMoments merged = new ChannelMoments(c).add(first, 3, c, spatial)
                .merge(new ChannelMoments(c).add(second, 7, c, spatial));

        for (ChannelMoments m : new ChannelMoments[] {streamed, merged}) {
            assertThat(m.count()).isEqualTo(50);
            for (int ch = 0; ch < c; ch++) {
                assertThat(m.mean()[ch]).isCloseTo(onePass.mean()[ch], within(1e-10));
                assertThat(m.variance()[ch]).isCloseTo(onePass.variance()[ch], within(1e-10));
            }
        }
        // two-pass reference in double
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int s = 0; s < 10; s++) {
                for (int k = 0; k < spatial; k++) {
                    sum += all[(s * c + ch) * spatial + k];
                }
            }
            double mean = sum / 50;
            double ss = 0;
            for (int s = 0; s < 10; s++) {
                for (int k = 0; k < spatial; k++) {
                    double d = all[(s * c + ch) * spatial + k] - mean;
                    ss += d * d;
                }
            }
            assertThat(onePass.mean()[ch]).isCloseTo(mean, within(1e-10));
            assertThat(onePass.variance()[ch]).isCloseTo(ss / 50, within(1e-10));
        }
    }

    @Test
    void mergingEmptyChangesNothing() {
        ChannelMoments m = new ChannelMoments(1).add(new float[] {2, 4}, 2, 1, 1);
        m.merge(new ChannelMoments(1));
        assertThat(m.count()).isEqualTo(2);
        assertThat(m.mean()).containsExactly(3.0);
        ChannelMoments empty = new ChannelMoments(1).merge(m);
        assertThat(empty.mean()).containsExactly(3.0);
        assertThat(empty.variance()).containsExactly(1.0);
    }

    @Test
    void rejectsBadShapes() {
        ChannelMoments m = new ChannelMoments(2);
        assertThatThrownBy(() -> m.add(new float[7], 2, 2, 2)).hasMessageContaining("data length 7 != N*C*spatial = 2*2*2");
        assertThatThrownBy(() -> m.add(new float[8], 2, 4, 1)).hasMessageContaining("expected 2 channels, got 4");
        assertThatThrownBy(() -> m.merge(new ChannelMoments(3))).hasMessageContaining("3 channels into 2");
        assertThatThrownBy(m::mean).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void reducedBatchesFoldInLikeRawOnes() {
        // batch A by hand: channel 0 = {1, 2, 5, 6} (mean 3.5, M2 17), channel 1 = {0, 0, 4, 4} (mean 2, M2 16)
        float[] a = {1, 2, 0, 0, 5, 6, 4, 4};
        float[] b = {10, -3, 7, 8};
        ChannelMoments raw = new ChannelMoments(2).add(a, 2, 2, 2).add(b, 1, 2, 2);
        ChannelMoments reduced = new ChannelMoments(2)
                .addReduced(4, new double[] {3.5, 2.0}, new double[] {17, 16})
                .addReduced(2, new double[] {3.5, 7.5}, new double[] {84.5, 0.5})
                .addReduced(0, new double[] {99, 99}, new double[] {0, 0});
        assertThat(reduced.count()).isEqualTo(6);
        for (int ch = 0; ch < 2; ch++) {
            assertThat(reduced.mean()[ch]).isCloseTo(raw.mean()[ch], within(1e-12));
            assertThat(reduced.variance()[ch]).isCloseTo(raw.variance()[ch], within(1e-12));
        }
        assertThatThrownBy(() -> reduced.addReduced(1, new double[] {0}, new double[] {0, 0}))
                .hasMessageContaining("expected 2 channel means and M2s, got 1 and 2");
        assertThatThrownBy(() -> reduced.addReduced(1, new double[] {0, 0}, new double[] {0, -1}))
                .hasMessageContaining("channel 1").hasMessageContaining("M2=-1.0");
    }
}
