package io.fixres.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void formatsMinutesSecondsThenHours() {
        assertThat(Durations.format(0)).isEqualTo("00:00");
        assertThat(Durations.format(59_999)).isEqualTo("00:59");
        assertThat(Durations.format(61_000)).isEqualTo("01:01");
        assertThat(Durations.format(3_599_999)).isEqualTo("59:59");
        assertThat(Durations.format(3_600_000)).isEqualTo("1:00:00");
        assertThat(Durations.format(90_061_000)).isEqualTo("25:01:01");
        assertThatThrownBy(() -> Durations.format(-1)).hasMessageContaining("-1 ms");
    }

    @Test
    void stopwatchMeasuresFromCreationOnItsClock() {
        AtomicLong nanos = new AtomicLong(42);
        Stopwatch watch = new Stopwatch(nanos::get);
        nanos.addAndGet(83_500_000_000L);
        assertThat(watch.elapsedMillis()).isEqualTo(83_500);
        assertThat(watch).hasToString("01:23");
    }
}
