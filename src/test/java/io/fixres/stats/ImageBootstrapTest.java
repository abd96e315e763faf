package io.fixres.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageBootstrapTest {
    private static boolean[] pattern(int n, int firstTrue, int trueCount) {
        boolean[] out = new boolean[n];
        for (int i = firstTrue; i < firstTrue + trueCount; i++) {
            out[i] = true;
        }
        return out;
    }

    @Test
    void aDifferenceOfTwoIsThePairedBootstrapsInterval() {
        boolean[] a = pattern(1000, 0, 840);
        boolean[] b = pattern(1000, 30, 830);
        Interval paired = new PairedBootstrap(500, 3).difference(a, b);
        Interval joint = new ImageBootstrap(500, 3).interval(List.of(a, b), acc -> acc[1] - acc[0]);
        assertThat(joint.estimate()).isCloseTo(paired.estimate(), within(1e-9));
        assertThat(joint.low()).isCloseTo(paired.low(), within(1e-9));
        assertThat(joint.high()).isCloseTo(paired.high(), within(1e-9));
    }

    @Test
    void theEstimateIsTheStatisticOnAllImages() {
        boolean[] a = pattern(10, 0, 5);   // 50 %
        boolean[] b = pattern(10, 0, 8);   // 80 %
        boolean[] c = pattern(10, 2, 7);   // 70 %
        Interval best = new ImageBootstrap(200, 1).interval(List.of(a, b, c),
                acc -> Math.max(acc[1], acc[2]) - acc[0]);
        assertThat(best.estimate()).isCloseTo(30.0, within(1e-12));
        // b is right wherever a is, and on 3 more images: no resample can make the difference negative
        assertThat(best.low()).isGreaterThanOrEqualTo(0.0);
        assertThat(best.high()).isLessThanOrEqualTo(100.0);
    }

    @Test
    void identicalOutcomesGiveAZeroWidthInterval() {
        boolean[] a = pattern(500, 0, 400);
        Interval d = new ImageBootstrap().interval(List.of(a, a.clone()), acc -> acc[1] - acc[0]);
        assertThat(d).isEqualTo(new Interval(0.0, 0.0, 0.0));
    }

    @Test
    void outcomesOfDifferentImageCountsAreRefused() {
        assertThatThrownBy(() -> new ImageBootstrap().interval(List.of(new boolean[3], new boolean[4]), acc -> 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 vs 4");
    }
}
