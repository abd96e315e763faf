package io.fixres.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BinomialIntervalTest {
    @Test
    void newcombesHybridScoreIntervalMatchesHisWorkedExample() {
        // Newcombe (1998), Statistics in Medicine 17, Table II, example (a): 56/70 vs 48/80, method 10: 0.0524 to 0.3339
        Interval d = BinomialInterval.newcombeDifference(56, 70, 48, 80);
        assertThat(d.estimate()).isCloseTo(20.0, within(1e-9));
        assertThat(d.low()).isCloseTo(5.24, within(0.01));
        assertThat(d.high()).isCloseTo(33.39, within(0.01));
    }

    @Test
    void wilsonOfEightyInAHundred() {
        Interval w = BinomialInterval.wilson(80, 100);
        assertThat(w.low()).isCloseTo(71.12, within(0.01));
        assertThat(w.high()).isCloseTo(86.67, within(0.01));
    }
}
