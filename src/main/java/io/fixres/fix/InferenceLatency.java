package io.fixres.fix;

import com.fasterxml.jackson.annotation.JsonProperty;
import ai.djl.ndarray.NDManager;
import io.fixres.core.FixResNetwork;
import io.fixres.core.StepTimer;
import java.util.Arrays;

/**
 * Inference latency per image at one test resolution on this machine: one image per call (the
 * serving case, what a latency budget is compared with) and per image within a batch of
 * {@code batchSize}; each the median of timed forwards after untimed warm-up ones (the network
 * alone, no decoding).
 */
public record InferenceLatency(
        @JsonProperty("test_res") int resolution,
        @JsonProperty("batch1_ms") double batch1Millis,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("batch_ms_per_image") double perImageInBatchMillis) {

    /** Warm-up and timed forwards at batch 1; batches are costlier, so fewer. */
    static final int WARMUP_SINGLE = 3;
    static final int REPEATS_SINGLE = 7;
    static final int WARMUP_BATCH = 1;
    static final int REPEATS_BATCH = 3;

    /** Median milliseconds per image at batch 1. */
    static double singleImageMillis(FixResNetwork net, NDManager manager, int resolution) {
        return medianMillis(new StepTimer(net, manager, WARMUP_SINGLE, REPEATS_SINGLE).inferenceNanos(resolution, 1));
    }

    static InferenceLatency measure(FixResNetwork net, NDManager manager, int resolution, int batchSize,
                                    Double knownSingleImageMillis) {
        double single = knownSingleImageMillis != null ? knownSingleImageMillis
                : singleImageMillis(net, manager, resolution);
        double batch = medianMillis(new StepTimer(net, manager, WARMUP_BATCH, REPEATS_BATCH)
                .inferenceNanos(resolution, batchSize)) / batchSize;
        return new InferenceLatency(resolution, single, batchSize, batch);
    }

    static double medianMillis(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return median / 1e6;
    }
}
