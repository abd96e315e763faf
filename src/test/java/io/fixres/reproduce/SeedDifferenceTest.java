package io.fixres.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import io.fixres.eval.ResolutionAccuracy;
import io.fixres.eval.Top1Outcomes;
import io.fixres.stats.ImageBootstrap;
import io.fixres.stats.Verdict;
import java.util.BitSet;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class SeedDifferenceTest {
    static final int N = 1000;
    /** Second minus first accuracy of a seed's pair. */
    static final ToDoubleFunction<double[]> GAIN = acc -> acc[1] - acc[0];

    /** An accuracy at {@code k} px right on images {@code first .. first + count - 1} of {@code N}. */
    static ResolutionAccuracy rightOn(int k, int first, int count) {
        BitSet bits = new BitSet();
        bits.set(first, first + count);
        return new ResolutionAccuracy(k, 100.0 * count / N, 99, N, new Top1Outcomes(bits, N));
    }

    private static SeedDifference measure(List<List<ResolutionAccuracy>> perSeed) {
        List<Long> seeds = perSeed.size() == 1 ? List.of(0L) : List.of(0L, 1L, 2L).subList(0, perSeed.size());
        return SeedDifference.measure(seeds, perSeed, GAIN, new ImageBootstrap(1000, 0));
    }

    @Test
    void aGainEverySeedShowsIsReproduced() {
        // seed 0: +4.0 points (40 more images right), seed 1: +3.0; the same 800 images right before
        SeedDifference d = measure(List.of(List.of(rightOn(24, 0, 800), rightOn(28, 0, 840)),
                List.of(rightOn(24, 0, 800), rightOn(28, 0, 830))));
        assertThat(d.perSeed()).containsExactly(4.0, 3.0);
        assertThat(d.mean().estimate()).isEqualTo(3.5);
        assertThat(d.spread()).isEqualTo(Math.sqrt(0.5));
        assertThat(d.mean().low()).isGreaterThan(2.0).isLessThan(3.5);
        assertThat(d.mean().high()).isGreaterThan(3.5).isLessThan(5.0);
        assertThat(d.verdict()).isEqualTo(Verdict.REPRODUCED);
        assertThat(d.toString()).startsWith("mean +3.50 [").endsWith("] (seeds 0, 1: +4.00, +3.00; sd 0.71)");
    }

    @Test
    void aSeedOnTheOtherSideMakesASignificantMeanInconclusive() {
        // seed 0: +8.0 points, seed 1: -0.5: the mean's interval is above 0, but not every seed agrees
        SeedDifference d = measure(List.of(List.of(rightOn(24, 0, 800), rightOn(28, 0, 880)),
                List.of(rightOn(24, 0, 800), rightOn(28, 0, 795))));
        assertThat(d.mean().low()).isGreaterThan(0);
        assertThat(d.perSeed()).containsExactly(8.0, -0.5);
        assertThat(d.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void aLossIsNotReproducedAndBalancedSwapsAreInconclusive() {
        SeedDifference loss = measure(List.of(List.of(rightOn(24, 0, 840), rightOn(28, 0, 800))));
        assertThat(loss.verdict()).isEqualTo(Verdict.NOT_REPRODUCED);
        assertThat(loss.toString()).startsWith("-4.00 [");
        // 20 images only the first gets right, 20 only the second: difference 0
        SeedDifference swaps = measure(List.of(List.of(rightOn(24, 0, 820), rightOn(28, 20, 820))));
        assertThat(swaps.mean().estimate()).isEqualTo(0.0);
        assertThat(swaps.mean().contains(0)).isTrue();
        assertThat(swaps.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    }

    @Test
    void accuraciesWithoutOutcomesGiveAnInconclusiveVerdictThatSaysWhy() {
        SeedDifference d = measure(List.of(List.of(new ResolutionAccuracy(24, 80, 99, N), new ResolutionAccuracy(28, 90, 99, N))));
        assertThat(d.perSeed()).containsExactly(10.0);
        assertThat(d.mean().low()).isNaN();
        assertThat(d.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(d.toString()).isEqualTo("+10.00 [no per-image outcomes]");
    }
}
