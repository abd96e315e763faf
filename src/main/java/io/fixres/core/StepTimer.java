package io.fixres.core;

import io.fixres.io.InvalidParameterException;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Measured time per batch of the forward pass, the backward pass and the optimizer update
 * (supplement C, Table 7), for full training and for the FixRes fine-tuning, on one random batch
 * (no data loading), with the one {@link TrainingStep} under a {@link FixResScope}.
 *
 * <p>Every measurement runs {@code warmup} untimed steps, then {@code repeats} timed ones, and
 * reports the mean and the sample standard deviation of each phase. The steps update the
 * network (SGD, learning rate 1e-3) and, in training mode, the running statistics of the
 * BatchNorms on batch statistics, as real training would: time a network whose weights you do
 * not need, or a copy. Trainability and BatchNorm modes are restored afterwards.
 */
public final class StepTimer {
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

    /** Time per batch of {@code batchSize} images of {@code resolution} px, by phase. */
    public record StepTime(
            @JsonProperty("resolution") int resolution,
            @JsonProperty("batch_size") int batchSize,
            @JsonProperty("forward") Millis forward,
            @JsonProperty("backward") Millis backward,
            @JsonProperty("update") Millis update) {

        /** Mean forward plus mean backward, in milliseconds: Table 7's cost, without the update. */
        public double meanStepMillis() {
            return forward.mean() + backward.mean();
        }

        /** The whole optimizer step: forward, backward and update. */
        public double meanStepWithUpdateMillis() {
            return forward.mean() + backward.mean() + update.mean();
        }
    }

    static final float LEARNING_RATE = 1e-3f;

    private final FixResNetwork net;
    private final NDManager manager;
    private final int warmup;
    private final int repeats;
    private final LongSupplier clock;

    /**
     * @param net an initialised network (its parameters live in {@code manager} or a parent)
     * @param warmup untimed steps before each measurement (>= 0)
     * @param repeats timed steps per measurement (>= 1)
     */
    public StepTimer(FixResNetwork net, NDManager manager, int warmup, int repeats) {
        this(net, manager, warmup, repeats, System::nanoTime);
    }

    StepTimer(FixResNetwork net, NDManager manager, int warmup, int repeats, LongSupplier clock) {
        InvalidParameterException.require(warmup >= 0, "warm-up steps", "must be >= 0", warmup);
        InvalidParameterException.require(repeats >= 1, "timed steps", "must be >= 1", repeats);
        this.net = net;
        this.manager = manager;
        this.warmup = warmup;
        this.repeats = repeats;
        this.clock = clock;
    }

    /** Full training: all parameters trainable, all BatchNorms on batch statistics. */
    public StepTime training(int resolution, int batchSize) {
        return measure(resolution, batchSize, () -> FixResScope.fullTraining(net));
    }

    /** The FixRes fine-tuning with the last BatchNorm in mode {@code bn}. */
    public StepTime fineTuning(int resolution, int batchSize, LastBatchNormMode bn) {
        return measure(resolution, batchSize, () -> FixResScope.fineTuning(net, bn));
    }

    /**
     * The inference forward alone (every BatchNorm on its running statistics, no gradient): what
     * each pass of the one-pass FixRes step costs per batch. Reading the logits back ends each
     * timed forward.
     */
    public Millis inference(int resolution, int batchSize) {
        return Millis.ofNanos(inferenceNanos(resolution, batchSize));
    }

    /** The durations of the timed forwards of {@link #inference}, in nanoseconds, in the order run. */
    public long[] inferenceNanos(int resolution, int batchSize) {
        net.checkResolution(resolution);
        InvalidParameterException.require(batchSize >= 1, "batch size", "must be >= 1", batchSize);
        long[] forward = new long[repeats];
        ai.djl.training.ParameterStore store = new ai.djl.training.ParameterStore(manager, false);
        try (FixResScope scope = FixResScope.inference(net);
             NDManager batchManager = manager.newSubManager()) {
            NDArray x = batchManager.randomNormal(new Shape(batchSize, net.inputChannels(), resolution, resolution));
            for (int i = 0; i < warmup + repeats; i++) {
                try (NDManager stepManager = batchManager.newSubManager()) {
                    x.tempAttach(stepManager);
                    long start = clock.getAsLong();
                    net.block().forward(store, new ai.djl.ndarray.NDList(x), false).singletonOrThrow().toFloatArray();
                    long done = clock.getAsLong();
                    if (i >= warmup) {
                        forward[i - warmup] = done - start;
                    }
                }
            }
        }
        return forward;
    }

    private StepTime measure(int resolution, int batchSize, Supplier<FixResScope> setup) {
        net.checkResolution(resolution);
        InvalidParameterException.require(batchSize >= 1, "batch size", "must be >= 1", batchSize);
        long[] forward = new long[repeats];
        long[] backward = new long[repeats];
        long[] update = new long[repeats];
        Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(LEARNING_RATE)).optMomentum(0.9f)
                .optWeightDecays(1e-4f).build();
        try (FixResScope scope = setup.get();
             NDManager batchManager = manager.newSubManager();
             TrainingStep step = new TrainingStep(net.block(), manager, sgd, clock)) {
            NDArray x = batchManager.randomNormal(new Shape(batchSize, net.inputChannels(), resolution, resolution));
            NDArray y = batchManager.randomInteger(0, net.numClasses(), new Shape(batchSize), DataType.INT64);
            for (int i = 0; i < warmup + repeats; i++) {
                TrainingStep.Result result;
                try (NDManager stepManager = batchManager.newSubManager()) {
                    // Intermediate arrays follow the input's manager: lend the batch to this step's.
                    x.tempAttach(stepManager);
                    y.tempAttach(stepManager);
                    result = step.run(x, y);
                }
                if (i >= warmup) {
                    forward[i - warmup] = result.forwardNanos();
                    backward[i - warmup] = result.backwardNanos();
                    update[i - warmup] = result.updateNanos();
                }
            }
        }
        return new StepTime(resolution, batchSize, Millis.ofNanos(forward), Millis.ofNanos(backward),
                Millis.ofNanos(update));
    }
}
