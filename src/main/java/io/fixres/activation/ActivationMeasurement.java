package io.fixres.activation;

import io.fixres.io.InvalidParameterException;

import io.fixres.eval.Accuracy;
import io.fixres.eval.AccuracyEvaluator;
import io.fixres.model.CardTransforms;

import ai.djl.ndarray.NDManager;
import io.fixres.data.ImageDataset;
import io.fixres.core.ActivationHook;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import io.fixres.stats.ChannelMoments;
import io.fixres.stats.PooledActivationSample;
import io.fixres.stats.ScalarSample;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * One inference pass over a data set at one resolution with the card's test transform, recording
 * the activation statistics of supplement A (see {@link ActivationRecorder}) and, since the
 * labels come along, the accuracy. The recorder sees the activations after any hook already
 * installed on the network (an adaptation), so an adapted network can be re-measured.
 */
public final class ActivationMeasurement {

    /** What one pass measured at {@code resolution}. */
    public record Measured(int resolution, PooledActivationSample pooled, ChannelMoments preReLU,
                           Accuracy accuracy) {}

    private final ResNet net;
    private final ModelCard card;
    private final AccuracyEvaluator evaluator;
    private int reservoirCapacity = ScalarSample.DEFAULT_CAPACITY;
    private long seed;
    private Map<Integer, Measured> remembered;

    public ActivationMeasurement(ResNet net, ModelCard card, NDManager manager, int batchSize, int loaderThreads) {
        this.net = net;
        this.card = card;
        this.evaluator = new AccuracyEvaluator(net, manager, batchSize, loaderThreads);
    }

    /** Non-zero pooled values kept for the Fréchet fit (default {@link ScalarSample#DEFAULT_CAPACITY}). */
    public ActivationMeasurement reservoirCapacity(int capacity) {
        InvalidParameterException.require(capacity >= 1, "reservoir capacity", "must be >= 1", capacity);
        this.reservoirCapacity = capacity;
        return this;
    }

    /** Seeds the reservoir; each resolution gets its own stream of this seed. */
    public ActivationMeasurement seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Reads the unadapted network's measurements from {@code memo} (by resolution) instead of passing
     * over the data again, and records new ones into it. For a caller that measures the same weights on
     * the same images with the same seed and reservoir more than once ({@code reproduce}'s Figure 6 and
     * Table 4): the caller vouches for that sameness. A measurement through an installed hook (an
     * adapted network) is neither read nor recorded.
     */
    public ActivationMeasurement remembering(Map<Integer, Measured> memo) {
        this.remembered = Objects.requireNonNull(memo, "memo");
        return this;
    }

    /** Measures {@code data} at {@code resolution} (resize to floor(K / crop ratio), centre crop K). */
    public Measured measure(ImageDataset data, int resolution, IntConsumer imagesDone) {
        net.checkResolution(resolution);
        boolean unadapted = net.getActivationHook() == ActivationHook.IDENTITY;
        Measured known = remembered != null && unadapted ? remembered.get(resolution) : null;
        if (known != null) {
            imagesDone.accept(data.size());
            return known;
        }
        Measured measured = measureAgain(data, resolution, imagesDone);
        if (remembered != null && unadapted) {
            remembered.put(resolution, measured);
        }
        return measured;
    }

    private Measured measureAgain(ImageDataset data, int resolution, IntConsumer imagesDone) {
        ActivationRecorder recorder = new ActivationRecorder(net.featureDim(), reservoirCapacity,
                new SplittableRandom(seed * 1_000_003L + resolution));
        ActivationHook installed = net.getActivationHook();
        net.setActivationHook(AdaptationHooks.chain(installed, recorder));
        Accuracy accuracy;
        try {
            accuracy = evaluator.evaluate(data, CardTransforms.test(card, resolution), imagesDone);
        } finally {
            net.setActivationHook(installed);
        }
        return new Measured(resolution, recorder.pooled(), recorder.preReLUMoments(), accuracy);
    }
}
