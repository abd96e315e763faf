package io.fixres.core;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import io.fixres.data.Batch;
import io.fixres.data.BatchArrays;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * One optimizer step of a network in training mode: forward, softmax cross-entropy, backward,
 * update of whatever requires a gradient (a {@link FixResScope} decides what that is). The one
 * training step of fixres: training from scratch, the FixRes fine-tuning, the step timer and the
 * benchmark all run it.
 *
 * <p>Not DJL's {@code Trainer}: its first {@code step()} refuses gradients whose signed sum is 0,
 * which is what a classifier-only fine-tuning produces (softmax minus one-hot sums to 0 per row).
 *
 * <p>Each phase ends by copying a value to the host (the loss; one element of the gradient
 * computed last; one element of an updated parameter), so the phase times it reports are times
 * to completion on asynchronous devices too. Every array of a step lives in a sub-manager closed
 * when the step ends: native memory stays flat over long runs.
 */
public final class TrainingStep implements AutoCloseable {
    private final Block block;
    private final NDManager manager;
    private final ParameterStore store;
    private final Loss crossEntropy = Loss.softmaxCrossEntropyLoss();
    private final LongSupplier clock;
    private Parameter computedLast;
    private Parameter updated;

    /** What one step did and how long each phase took. */
    public record Result(float loss, long correct, long forwardNanos, long backwardNanos, long updateNanos) {}

    /**
     * @param block an initialised network whose trainable parameters are already chosen
     * @param parent the step's arrays live in sub-managers of it
     * @param optimizer updates every parameter that requires a gradient
     */
    public TrainingStep(Block block, NDManager parent, Optimizer optimizer) {
        this(block, parent, optimizer, System::nanoTime);
    }

    public TrainingStep(Block block, NDManager parent, Optimizer optimizer, LongSupplier clock) {
        this.block = Objects.requireNonNull(block, "block");
        this.manager = parent.newSubManager();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.store = new ParameterStore(manager, false);
        store.setParameterServer(new SingleDeviceParameterServer(optimizer),
                new Device[] {manager.getDevice()});
    }

    /** One step on {@code batch}; the update is skipped when the loss is not finite. */
    public Result run(Batch batch) {
        try (NDManager step = manager.newSubManager()) {
            return run(BatchArrays.images(step, batch), BatchArrays.labels(step, batch));
        }
    }

    /**
     * One step on images (N, C, H, W) and int64 labels (N); the arrays' manager must be closed by
     * the caller (intermediate arrays follow it).
     */
    public Result run(NDArray images, NDArray labels) {
        long start = clock.getAsLong();
        float loss;
        long correct;
        long forwardDone;
        long backwardDone;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = block.forward(store, new NDList(images), true).singletonOrThrow();
            NDArray lossArray = crossEntropy.evaluate(new NDList(labels), new NDList(logits));
            loss = lossArray.getFloat();
            forwardDone = clock.getAsLong();
            collector.backward(lossArray);
            readGradient(computedLast());
            backwardDone = clock.getAsLong();
            correct = (long) logits.argMax(1).eq(labels).sum().toType(DataType.FLOAT32, false).getFloat();
        }
        if (Float.isFinite(loss)) {
            store.updateAllParameters();
            readParameter(updated);
        }
        long updateDone = clock.getAsLong();
        return new Result(loss, correct, forwardDone - start, backwardDone - forwardDone, updateDone - backwardDone);
    }

    /**
     * The trainable parameter registered first: the backward reaches it last, so when its gradient
     * can be read the whole backward has finished. Chosen at the first step (the caller's scope is
     * in place by then).
     */
    private Parameter computedLast() {
        if (computedLast == null) {
            for (Parameter p : block.getParameters().values()) {
                if (p.requiresGradient()) {
                    if (computedLast == null) {
                        computedLast = p;
                    }
                    updated = p;
                }
            }
            if (computedLast == null) {
                throw new IllegalStateException("nothing in the network requires a gradient: nothing to train");
            }
        }
        return computedLast;
    }

    /** Copies one gradient element to the host; the gradient's handle is released at once. */
    private void readGradient(Parameter p) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray gradient = p.getArray().getGradient();
            gradient.attach(scope);
            gradient.flatten().get(0).getFloat();
        }
    }

    /** Copies one element of a parameter to the host; the parameter stays in its manager. */
    private static void readParameter(Parameter p) {
        NDArray array = p.getArray();
        try (NDManager scope = array.getManager().newSubManager()) {
            scope.tempAttachAll(array);
            array.flatten().get(0).getFloat();
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
