package io.fixres.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PooledActivationSampleTest {

    @Test
    void countsZerosExactlyAndKeepsTheNonZerosInOrderWhileThereIsRoom() {
        PooledActivationSample s = new PooledActivationSample(10, new SplittableRandom(1));
        s.addAll(new float[] {0, 1.5f, 0, 2}).addAll(new float[] {3, 0});
        assertThat(s.values()).isEqualTo(6);
        assertThat(s.zeros()).isEqualTo(3);
        assertThat(s.zeroFraction()).isEqualTo(0.5);
        assertThat(s.nonZeroSeen()).isEqualTo(3);
        assertThat(s.nonZeroSample()).containsExactly(1.5f, 2f, 3f);
        assertThatThrownBy(() -> s.addAll(new float[] {1, Float.NaN}))
                .hasMessageContaining("finite").hasMessageContaining("index 1");
    }

    @Test
    void fitReportsTheExactZeroFractionOverEverythingSeenAndFitsTheSample() {
        // FrechetFitTest's sample: 40k Fréchet(1.2, 0.4, 0.3) draws and 10k zeros, through a 5k reservoir
        float[] values = FrechetFitTest.frechetWithZeros(1.2, 0.4, 11);
        PooledActivationSample s = new PooledActivationSample(5_000, new SplittableRandom(2));
        for (int from = 0; from < values.length; from += 1000) {
            s.addAll(Arrays.copyOfRange(values, from, from + 1000));
        }
        FrechetFitResult r = s.fit(FrechetFit.builder().build());
        assertThat(r.count()).isEqualTo(50_000);
        assertThat(r.zeroFraction()).isEqualTo(0.2);
        assertThat(r.nonZeroCount()).isEqualTo(5_000);
        assertThat(r.mu()).isCloseTo(1.2, within(0.03));
        assertThat(r.sigma()).isCloseTo(0.4, within(0.03));
        assertThat(r.maxAbsCdfError()).isLessThan(0.03);
    }
}
