package io.fixres.activation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.fixres.core.ActivationHook;
import io.fixres.stats.ChannelMoments;
import io.fixres.stats.PooledActivationSample;
import java.util.random.RandomGenerator;

/**
 * A pass-through {@link ActivationHook} that accumulates the statistics of supplement A while a
 * data set streams through the network: the pooled features into a
 * {@link PooledActivationSample} (A.1, Fréchet fit) and the per-channel moments of the last
 * block's pre-ReLU output into {@link ChannelMoments} (A.2, Gaussian matching). Nothing is kept
 * per image: the pooled features (N x C, small) are copied to the host, the pre-ReLU maps are
 * reduced to per-channel mean and M2 on the engine. Use it in inference forwards, on one thread.
 */
public final class ActivationRecorder implements ActivationHook {
    private final PooledActivationSample pooled;
    private final ChannelMoments preReLU;
    private final int channels;

    /**
     * @param channels  the network's feature dimension ({@code ResNet.featureDim()})
     * @param capacity  reservoir size for the non-zero pooled values
     * @param rng       drives the reservoir (seed it for reproducible samples)
     */
    public ActivationRecorder(int channels, int capacity, RandomGenerator rng) {
        this.channels = channels;
        this.pooled = new PooledActivationSample(capacity, rng);
        this.preReLU = new ChannelMoments(channels);
    }

    @Override
    public NDArray preReLU(NDArray activations) {
        Shape shape = activations.getShape();
        requireChannels(shape, 4, "pre-ReLU activations (N, C, H, W)");
        long perChannel = shape.get(0) * shape.get(2) * shape.get(3);
        if (perChannel == 0) {
            return activations;
        }
        int[] allButChannel = {0, 2, 3};
        NDArray mean = activations.sum(allButChannel).div(perChannel);
        NDArray m2 = activations.sub(mean.reshape(1, channels, 1, 1)).square().sum(allButChannel);
        preReLU.addReduced(perChannel, toDoubles(mean.toFloatArray()), toDoubles(m2.toFloatArray()));
        return activations;
    }

    @Override
    public NDArray pooled(NDArray features) {
        requireChannels(features.getShape(), 2, "pooled features (N, C)");
        pooled.addAll(features.toFloatArray());
        return features;
    }

    private void requireChannels(Shape shape, int dimensions, String what) {
        if (shape.dimension() != dimensions || shape.get(1) != channels) {
            throw new IllegalArgumentException("expected " + what + " with C = " + channels + ", got " + shape);
        }
    }

    /** Pooled features seen so far (A.1). */
    public PooledActivationSample pooled() { return pooled; }

    /** Per-channel moments of the last block's output before its ReLU seen so far (A.2). */
    public ChannelMoments preReLUMoments() { return preReLU; }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
