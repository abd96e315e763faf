package io.fixres.cli;

import picocli.CommandLine.Option;

/**
 * Options every computing command shares. The thread count must reach the engine before it
 * loads, so it is applied as a system property when picocli sets the option.
 */
public final class EngineOptions {
    private int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the engine's operators and for image decoding (default: all cores).")
    void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }

    @Option(names = "--seed", paramLabel = "S", description = "Random seed for subsets, shuffling and augmentation (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    public int threads() { return threads; }

    public long seed() { return seed; }
}
