package io.fixres.bench;

import java.util.Locale;

/**
 * What limits an evaluation, read from the benchmark's phases. The decoder threads and the
 * engine's threads share the same cores, so even a pipeline that alone outruns the model costs
 * the forward some CPU: with c cores, one decoder thread needing 1/d1 core-seconds per image and
 * the forward taking 1/f wall-seconds per image on all cores, sharing predicts
 * c / (c/f + 1/d1) images/s when nothing overlaps for free.
 *
 * @param decodeOneThread decode + transform with one thread, images/s
 * @param decodeAllThreads decode + transform with the evaluation's thread count, images/s
 * @param forward forward only on ready tensors, images/s
 * @param evaluation loader + forward, images/s
 * @param cores cores the process may use
 */
public record PipelineBottleneck(double decodeOneThread, double decodeAllThreads, double forward, double evaluation,
                                 int cores) {
    /** The goal: the whole evaluation at no less than 95% of the forward alone. */
    public static final double GOAL = 0.95;

    /** Whole evaluation / forward alone. */
    public double endToEndShare() {
        return evaluation / forward;
    }

    /** Evaluation images/s predicted if decoding and the forward share the cores without overlap gains. */
    public double predictedSharedCores() {
        return cores / (cores / forward + 1 / decodeOneThread);
    }

    /** One sentence naming the limit. */
    public String verdict() {
        if (decodeAllThreads < forward) {
            return String.format(Locale.ROOT, "decoding limits: decode + transform alone reaches %.1f images/s,"
                    + " below the forward's %.1f; a decoded-image cache or more cores would help", decodeAllThreads, forward);
        }
        if (endToEndShare() >= GOAL) {
            return String.format(Locale.ROOT, "the model limits: the whole evaluation runs at %.0f%% of the forward alone"
                    + " (goal %.0f%%)", 100 * endToEndShare(), 100 * GOAL);
        }
        return String.format(Locale.ROOT, "core sharing limits: decode + transform alone outruns the forward"
                + " (%.1f vs %.1f images/s) but takes %.1f%% of the CPU time per image from it on %d cores; the whole"
                + " evaluation runs at %.0f%% of the forward alone (shared-core prediction %.0f%%)",
                decodeAllThreads, forward, 100 * decodeCpuShare(), cores, 100 * endToEndShare(),
                100 * predictedSharedCores() / forward);
    }

    /** Share of an image's CPU time spent decoding when both run on all cores. */
    public double decodeCpuShare() {
        double decode = 1 / decodeOneThread;
        double model = cores / forward;
        return decode / (decode + model);
    }
}
