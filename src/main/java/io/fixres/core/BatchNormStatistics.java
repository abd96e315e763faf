package io.fixres.core;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.fixres.stats.ChannelMoments;
import java.util.function.Consumer;

/**
 * The exact per-channel mean and variance of a BatchNorm's input over every image and position a
 * pass shows it (the one-pass FixRes step and label-free recalibration): each batch is reduced on
 * the engine in double precision (two-pass mean and sum of squared deviations) and folded in with
 * Chan et al.'s update, so the result does not depend on the batch size or the order. Installing it
 * replaces the layer's running statistics, which the published fine-tuning would estimate with an
 * exponential average of batch statistics over many SGD epochs.
 */
public final class BatchNormStatistics implements Consumer<NDArray> {
    private final ChannelMoments moments;

    public BatchNormStatistics(int channels) {
        this.moments = new ChannelMoments(channels);
    }

    /** Statistics gathered elsewhere, e.g. per partition of a distributed pass and merged (a copy is kept). */
    public BatchNormStatistics(ChannelMoments moments) {
        this.moments = moments.copy();
    }

    /** The per-channel count, mean and squared deviations so far (a copy, mergeable with another pass's). */
    public ChannelMoments moments() { return moments.copy(); }

    @Override
    public void accept(NDArray input) {
        Shape shape = input.getShape();
        if (shape.dimension() != 4 || shape.get(1) != moments.channels()) {
            throw new IllegalArgumentException("expected a BatchNorm input (N, " + moments.channels() + ", H, W), got "
                    + shape);
        }
        long perChannel = shape.get(0) * shape.get(2) * shape.get(3);
        if (perChannel == 0) {
            return;
        }
        try (NDManager scope = input.getManager().newSubManager()) {
            NDArray x = input.toType(DataType.FLOAT64, true);
            x.attach(scope);
            int[] allButChannel = {0, 2, 3};
            NDArray mean = x.sum(allButChannel).div(perChannel);
            NDArray m2 = x.sub(mean.reshape(1, moments.channels(), 1, 1)).square().sum(allButChannel);
            moments.addReduced(perChannel, mean.toDoubleArray(), m2.toDoubleArray());
        }
    }

    /** Values seen per channel (images x positions). */
    public long count() { return moments.count(); }

    public double[] mean() { return moments.mean(); }

    /**
     * The unbiased variance (divides by count - 1), what PyTorch's BatchNorm stores as running
     * variance; with the thousands of values per channel a pass sees it equals the population one
     * to a few parts in a million.
     */
    public double[] unbiasedVariance() {
        double[] population = moments.variance();
        long n = moments.count();
        double[] v = new double[population.length];
        for (int c = 0; c < v.length; c++) {
            v[c] = n > 1 ? population[c] * n / (n - 1) : population[c];
        }
        return v;
    }

    /** Writes the mean and the unbiased variance into {@code bn}'s running statistics. */
    public void install(SwitchableBatchNorm bn) {
        if (bn.channels() != moments.channels()) {
            throw new IllegalArgumentException("statistics of " + moments.channels() + " channels cannot go into a "
                    + "BatchNorm of " + bn.channels());
        }
        bn.runningMean().getArray().set(toFloats(mean()));
        bn.runningVar().getArray().set(toFloats(unbiasedVariance()));
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
