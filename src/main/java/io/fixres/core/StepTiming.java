package io.fixres.core;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.model.BatchNorm2d;
import io.fixres.model.ResNet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Measured time per batch of the forward and the backward pass (supplement C, Table 7), for
 * full training and for the FixRes fine-tuning, on random inputs (no data loading).
 *
 * <p>Every measurement runs {@code warmup} untimed steps, then {@code repeats} timed ones; it
 * reports the mean and the sample standard deviation. The clock stops only after a value has
 * been copied to the host (the loss after the forward, one element of the gradient computed
 * last after the backward), so asynchronous devices are timed to completion too. The backward
 * time is the gradient computation; the optimizer update is not included.
 *
 * <ul>
 *   <li>Training: every parameter trainable, every BatchNorm in training mode (batch statistics).
 *   <li>Fine-tuning: the trunk frozen and in inference mode, the last BatchNorm in training mode
 *       and only {@code fc} trainable, so the backward runs through the classifier only.
 * </ul>
 *
 * <p>Both run the network in training mode, which updates the running statistics of the
 * BatchNorms in training mode, as real training would; the freezing and the BatchNorm modes are
 * restored afterwards. Runs on the calling thread, which must be the engine's.
 */
public final class StepTiming {
    /** Mean and sample standard deviation of repeated durations, in milliseconds. */
    public record Millis(
            @JsonProperty("mean_ms") double mean,
            @JsonProperty("std_ms") double std,
            @JsonProperty("repeats") int repeats) {

        /** Summary of the given durations in nanoseconds (standard deviation 0 for one value). */
        public static Millis ofNanos(long[] nanos) {
            if (nanos.length == 0) {
                throw new IllegalArgumentException("no durations to summarise");
            }
            double mean = 0;
            for (long n : nanos) {
                mean += n / 1e6;
            }
            mean /= nanos.length;
            double squares = 0;
            for (long n : nanos) {
                double d = n / 1e6 - mean;
                squares += d * d;
            }
            double std = nanos.length > 1 ? Math.sqrt(squares / (nanos.length - 1)) : 0;
            return new Millis(mean, std, nanos.length);
        }
    }

    /** Forward and backward time per batch of {@code batchSize} images of {@code resolution} px. */
    public record StepTime(
            @JsonProperty("resolution") int resolution,
            @JsonProperty("batch_size") int batchSize,
            @JsonProperty("forward") Millis forward,
            @JsonProperty("backward") Millis backward) {

        /** Mean forward plus mean backward, in milliseconds. */
        public double meanStepMillis() {
            return forward.mean() + backward.mean();
        }
    }

    private final ResNet net;
    private final NDManager manager;
    private final int warmup;
    private final int repeats;
    private final LongSupplier clock;

    /**
     * @param net an initialised network (its parameters live in {@code manager} or a parent)
     * @param warmup untimed steps before each measurement (>= 0)
     * @param repeats timed steps per measurement (>= 1)
     */
    public StepTiming(ResNet net, NDManager manager, int warmup, int repeats) {
        this(net, manager, warmup, repeats, System::nanoTime);
    }

    StepTiming(ResNet net, NDManager manager, int warmup, int repeats, LongSupplier clock) {
        if (warmup < 0) {
            throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
        }
        if (repeats < 1) {
            throw new IllegalArgumentException("--repeats must be >= 1, got " + repeats);
        }
        this.net = net;
        this.manager = manager;
        this.warmup = warmup;
        this.repeats = repeats;
        this.clock = clock;
    }

    /** Full training: all parameters trainable, all BatchNorms on batch statistics. */
    public StepTime training(int resolution, int batchSize) {
        try (Scope scope = Scope.training(net)) {
            return measure(resolution, batchSize, "conv1.weight");
        }
    }

    /** The FixRes fine-tuning: trunk frozen and in inference mode except the last BatchNorm; only fc trains. */
    public StepTime fineTuning(int resolution, int batchSize) {
        try (Scope scope = Scope.fineTuning(net)) {
            return measure(resolution, batchSize, "fc.weight");
        }
    }

    /**
     * Times {@code warmup + repeats} steps on one random batch. {@code lastGradient} names the
     * parameter whose gradient the backward computes last; reading it forces completion.
     */
    private StepTime measure(int resolution, int batchSize, String lastGradient) {
        net.checkResolution(resolution);
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        }
        ParameterStore store = new ParameterStore(manager, false);
        Loss loss = Loss.softmaxCrossEntropyLoss();
        Parameter probe = net.stateDict().get(lastGradient);
        long[] forward = new long[repeats];
        long[] backward = new long[repeats];
        try (NDManager batchManager = manager.newSubManager()) {
            NDArray x = batchManager.randomNormal(new Shape(batchSize, net.inputChannels(), resolution, resolution));
            NDArray y = batchManager.randomInteger(0, net.numClasses(), new Shape(batchSize), DataType.INT64);
            for (int i = 0; i < warmup + repeats; i++) {
                try (NDManager step = batchManager.newSubManager();
                     GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    // Intermediate arrays follow the input's manager: lend the batch to this step's.
                    x.tempAttach(step);
                    y.tempAttach(step);
                    long start = clock.getAsLong();
                    NDArray logits = net.forward(store, new NDList(x), true).singletonOrThrow();
                    NDArray value = loss.evaluate(new NDList(y), new NDList(logits));
                    value.getFloat();
                    long forwardDone = clock.getAsLong();
                    collector.backward(value);
                    NDArray gradient = probe.getArray().getGradient();
                    gradient.attach(step);
                    gradient.flatten().get(0).getFloat();
                    long backwardDone = clock.getAsLong();
                    if (i >= warmup) {
                        forward[i - warmup] = forwardDone - start;
                        backward[i - warmup] = backwardDone - forwardDone;
                    }
                }
            }
        }
        return new StepTime(resolution, batchSize, Millis.ofNanos(forward), Millis.ofNanos(backward));
    }

    /**
     * Sets which parameters train and how every BatchNorm normalises, and puts everything back on
     * close. Private to timing for now; the FixRes fine-tuner owns the real training setup.
     */
    private static final class Scope implements AutoCloseable {
        private final Map<Parameter, Boolean> requiresGradient = new LinkedHashMap<>();
        private final Map<BatchNorm2d, BatchNorm2d.Mode> modes = new LinkedHashMap<>();

        private Scope(ResNet net) {
            for (Parameter p : trainable(net)) {
                requiresGradient.put(p, p.requiresGradient());
            }
            net.batchNorms().values().forEach(bn -> modes.put(bn, bn.getMode()));
        }

        static Scope training(ResNet net) {
            Scope scope = new Scope(net);
            scope.requiresGradient.keySet().forEach(p -> p.freeze(false));
            scope.modes.keySet().forEach(bn -> bn.setMode(BatchNorm2d.Mode.FOLLOW));
            return scope;
        }

        static Scope fineTuning(ResNet net) {
            Scope scope = new Scope(net);
            List<Parameter> classifier = net.classifierParameters();
            scope.requiresGradient.keySet().forEach(p -> p.freeze(!classifier.contains(p)));
            net.setAllBatchNormModes(BatchNorm2d.Mode.EVAL);
            net.lastBatchNorm().setMode(BatchNorm2d.Mode.TRAIN);
            return scope;
        }

        /** Weights, biases, gamma and beta: never the running statistics, which must not get gradients. */
        private static List<Parameter> trainable(ResNet net) {
            return net.stateDict().values().stream()
                    .filter(p -> p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR)
                    .toList();
        }

        @Override
        public void close() {
            requiresGradient.forEach((p, requires) -> p.freeze(!requires));
            modes.forEach(BatchNorm2d::setMode);
        }
    }
}
