package io.fixres.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineBottleneckTest {

    @Test
    void sharedCorePredictionAndShares() {
        // 2 cores; forward 10 images/s on both; one decoder thread 40 images/s:
        // per image 2/10 = 0.2 core-s of forward + 1/40 = 0.025 core-s of decoding -> 2 / 0.225 = 8.888.. images/s
        PipelineBottleneck b = new PipelineBottleneck(40, 70, 10, 9, 2);
        assertThat(b.predictedSharedCores()).isCloseTo(2 / 0.225, within(1e-12));
        assertThat(b.decodeCpuShare()).isCloseTo(0.025 / 0.225, within(1e-12));
        assertThat(b.endToEndShare()).isCloseTo(0.9, within(1e-12));
        assertThat(b.verdict()).isEqualTo("core sharing limits: decode + transform alone outruns the forward (70.0 vs"
                + " 10.0 images/s) but takes 11.1% of the CPU time per image from it on 2 cores; the whole evaluation"
                + " runs at 90% of the forward alone (shared-core prediction 89%)");
    }

    @Test
    void verdictNamesDecodingWhenItIsSlowerThanTheModel() {
        assertThat(new PipelineBottleneck(3, 5, 10, 5, 2).verdict()).startsWith("decoding limits: decode + transform"
                + " alone reaches 5.0 images/s, below the forward's 10.0");
    }

    @Test
    void verdictNamesTheModelWhenTheGoalIsMet() {
        assertThat(new PipelineBottleneck(1000, 1900, 10, 9.6, 2).verdict())
                .isEqualTo("the model limits: the whole evaluation runs at 96% of the forward alone (goal 95%)");
    }

    @Test
    void vmRssIsReadFromProcStatus() {
        assertThat(MemoryUse.parseVmRss(List.of("Name:\tjava", "VmPeak:\t 9000 kB", "VmRSS:\t  123456 kB", "Threads: 3")))
                .isEqualTo(123456L * 1024);
        assertThat(MemoryUse.parseVmRss(List.of("Name:\tjava"))).isEqualTo(-1);
        assertThat(new MemoryUse(-1, 0).rssMiB()).isNaN();
        assertThat(new MemoryUse(3L << 20, 1L << 19).rssMiB()).isEqualTo(3.0);
        assertThat(new MemoryUse(3L << 20, 1L << 19).heapMiB()).isEqualTo(0.5);
    }
}
