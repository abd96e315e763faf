package io.fixres.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PairedBootstrapTest {

    private static boolean[] pattern(int n, int firstTrue, int trueCount) {
        boolean[] out = new boolean[n];
        for (int i = firstTrue; i < firstTrue + trueCount; i++) {
            out[i] = true;
        }
        return out;
    }

    @Test
    void identicalOutcomesGiveAZeroWidthInterval() {
        boolean[] a = pattern(1000, 0, 840);
        Interval d = new PairedBootstrap().difference(a, a.clone());
        assertEquals(0.0, d.estimate());
        assertEquals(0.0, d.low());
        assertEquals(0.0, d.high());
        assertEquals(Verdict.INCONCLUSIVE, Verdict.ofPositiveDifference(d.low(), d.high()));
    }

    @Test
    void aGainOnDistinctImagesIsReproducedWithTheNormalWidth() {
        // b is right on 840 images + 40 more; a on the 840 only: +4.0 points; the per-image delta has
        // mean 0.04 and sd sqrt(0.04 * 0.96) = 0.196, so the 95% interval half-width is about 1.96 * 0.196 / sqrt(1000) = 1.21.
        boolean[] a = pattern(1000, 0, 840);
        boolean[] b = pattern(1000, 0, 880);
        Interval d = new PairedBootstrap(4000, 7).difference(a, b);
        assertEquals(4.0, d.estimate(), 1e-12);
        assertEquals(4.0 - 1.21, d.low(), 0.25);
        assertEquals(4.0 + 1.21, d.high(), 0.25);
        assertEquals(Verdict.REPRODUCED, Verdict.ofPositiveDifference(d.low(), d.high()));
        Interval reverse = new PairedBootstrap(4000, 7).difference(b, a);
        assertEquals(Verdict.NOT_REPRODUCED, Verdict.ofPositiveDifference(reverse.low(), reverse.high()));
    }

    @Test
    void balancedSwapsAreInconclusive() {
        // 20 images only a gets right, 20 only b: difference 0, interval about +-1.75 points.
        boolean[] a = pattern(1000, 0, 820);
        boolean[] b = pattern(1000, 20, 820);
        Interval d = new PairedBootstrap().difference(a, b);
        assertEquals(0.0, d.estimate(), 1e-12);
        assertTrue(d.low() < 0 && d.high() > 0, d.toString());
        assertEquals(Verdict.INCONCLUSIVE, Verdict.ofPositiveDifference(d.low(), d.high()));
    }

    @Test
    void sameSeedSameInterval() {
        boolean[] a = pattern(500, 0, 300);
        boolean[] b = pattern(500, 100, 300);
        assertEquals(new PairedBootstrap(500, 3).difference(a, b), new PairedBootstrap(500, 3).difference(a, b));
    }

    @Test
    void wilsonIntervalMatchesTheClosedForm() {
        // 840 of 1000: Wilson 95% = [81.59, 86.15] (p=0.84, z=1.96).
        Interval i = BinomialInterval.wilson(840, 1000);
        assertEquals(84.0, i.estimate(), 1e-12);
        assertEquals(81.59, i.low(), 0.01);
        assertEquals(86.15, i.high(), 0.01);
        Interval zero = BinomialInterval.wilson(0, 10);
        assertEquals(0.0, zero.low(), 1e-12);
        assertTrue(zero.high() > 25 && zero.high() < 31, zero.toString()); // 27.75
    }
}
