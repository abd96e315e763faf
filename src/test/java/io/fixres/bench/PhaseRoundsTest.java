package io.fixres.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PhaseRoundsTest {
    private static PipelineBenchmark.Phase phase(long images, double seconds) {
        MemoryUse m = new MemoryUse(1, 1);
        return new PipelineBenchmark.Phase("forward", images, 1, seconds, m, m);
    }

    @Test
    void medianMinAndMaxOfImagesPerSecond() {
        // 30/s, 10/s, 20/s
        PhaseRounds odd = new PhaseRounds("forward", List.of(phase(60, 2), phase(10, 1), phase(40, 2)));
        assertThat(odd.medianImagesPerSecond()).isEqualTo(20.0);
        assertThat(odd.minImagesPerSecond()).isEqualTo(10.0);
        assertThat(odd.maxImagesPerSecond()).isEqualTo(30.0);
        assertThat(odd.first().images()).isEqualTo(60);
        assertThat(odd.last().images()).isEqualTo(40);
        PhaseRounds even = new PhaseRounds("forward", List.of(phase(60, 2), phase(10, 1), phase(40, 2), phase(16, 1)));
        assertThat(even.medianImagesPerSecond()).isEqualTo(18.0); // (16 + 20) / 2
        assertThatThrownBy(() -> new PhaseRounds("x", List.of())).hasMessage("phase x has no rounds");
    }
}
