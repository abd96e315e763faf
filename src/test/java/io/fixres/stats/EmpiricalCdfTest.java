package io.fixres.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EmpiricalCdfTest {
    private final EmpiricalCdf ecdf = EmpiricalCdf.ofNonZero(new float[] {3, 0, 1, 4, 0, 0, 2, 0});

    @Test
    void countsAndSortsNonZeroValues() {
        assertThat(ecdf.count()).isEqualTo(8);
        assertThat(ecdf.nonZeroCount()).isEqualTo(4);
        assertThat(ecdf.zeroFraction()).isEqualTo(0.5);
        assertThat(ecdf.orderStatistic(0)).isEqualTo(1);
        assertThat(ecdf.orderStatistic(3)).isEqualTo(4);
    }

    @Test
    void kolmogorovDistanceByHand() {
        // F(x) = x/5 at 1..4 is .2 .4 .6 .8; the empirical CDF steps 0 .25 .5 .75 1:
        // worst gaps are .2 below x=1 and 1 - .8 = .2 at x=4.
        assertThat(ecdf.kolmogorovDistance(x -> x / 5)).isCloseTo(0.2, within(1e-15));
        // A CDF through the step midpoints (i + 0.5)/4 is off by exactly half a step.
        assertThat(ecdf.kolmogorovDistance(x -> (x - 0.5) / 4)).isCloseTo(0.125, within(1e-15));
    }

    @Test
    void rmseByHand() {
        // residuals F(x_i) - (i + .5)/4 = .075, .025, -.025, -.075
        assertThat(ecdf.rmse(x -> x / 5)).isCloseTo(Math.sqrt(0.003125), within(1e-15));
        assertThat(ecdf.rmse(x -> (x - 0.5) / 4)).isCloseTo(0, within(1e-15));
    }

    @Test
    void evenlySpacedPointsIncludeBothEnds() {
        EmpiricalCdf five = EmpiricalCdf.ofNonZero(new float[] {50, 10, 40, 20, 30});
        double[][] p = five.points(3);
        assertThat(p[0]).containsExactly(10, 30, 50);
        assertThat(p[1]).containsExactly(0.1, 0.5, 0.9);
        assertThat(five.points(100)[0]).containsExactly(10, 20, 30, 40, 50);
    }

    @Test
    void rejectsNonFiniteValues() {
        assertThatThrownBy(() -> EmpiricalCdf.ofNonZero(new float[] {1, Float.POSITIVE_INFINITY}))
                .hasMessageContaining("Infinity at index 1");
    }
}
