package io.fixres.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.fixres.core.BatchNormMode;
import io.fixres.core.SwitchableBatchNorm;

import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * PyTorch's {@code nn.BatchNorm2d(C)} (eps 1e-5, momentum 0.1) with a per-layer mode override
 * ({@link BatchNormMode}): the FixRes step runs the trunk in inference mode and only the last
 * BatchNorm on batch statistics, which DJL's one training flag per forward cannot express.
 */
public final class BatchNorm2d extends AbstractBlock implements TorchModule, SwitchableBatchNorm {

    /** PyTorch default {@code eps}. */
    public static final float EPSILON = 1e-5f;
    /** PyTorch momentum 0.1: running = (1 - 0.1) * running + 0.1 * batch statistic. */
    public static final float PYTORCH_MOMENTUM = 0.1f;
    /** The same in DJL's convention (running = m * running + (1 - m) * batch); the PyTorch engine passes 1 - m to libtorch. */
    static final float DJL_MOMENTUM = 1f - PYTORCH_MOMENTUM;
    /** The axis argument under which DJL's PyTorch engine calls libtorch's batch_norm as is (channels = dim 1). */
    static final int CHANNEL_AXIS_AS_LIBTORCH = -1;

    private final int channels;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private volatile BatchNormMode mode = BatchNormMode.FOLLOW;
    private volatile Consumer<NDArray> inputObserver;

    public BatchNorm2d(int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException("BatchNorm2d channels must be positive, got " + channels);
        }
        this.channels = channels;
        Shape shape = new Shape(channels);
        gamma = addParameter(tensor("weight", Parameter.Type.GAMMA, shape, true));
        beta = addParameter(tensor("bias", Parameter.Type.BETA, shape, true));
        runningMean = addParameter(tensor("running_mean", Parameter.Type.RUNNING_MEAN, shape, false));
        runningVar = addParameter(tensor("running_var", Parameter.Type.RUNNING_VAR, shape, false));
    }

    private static Parameter tensor(String name, Parameter.Type type, Shape shape, boolean trainable) {
        // GAMMA/BETA/RUNNING_* types carry DJL's default initialisers: ones, zeros, zeros, ones.
        return Parameter.builder().setName(name).setType(type).optShape(shape).optRequiresGrad(trainable).build();
    }

    /**
     * Initialises gamma to 0 instead of 1 (torchvision's {@code zero_init_residual}: each residual
     * branch then starts as the identity). Only has an effect before the parameters are initialised.
     */
    public void zeroInitGamma() {
        gamma.setInitializer(Initializer.ZEROS);
    }

    @Override
    public void setMode(BatchNormMode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    @Override
    public BatchNormMode getMode() { return mode; }

    @Override
    public void setInputObserver(Consumer<NDArray> observer) {
        this.inputObserver = observer;
    }

    @Override
    public int channels() { return channels; }

    @Override
    public float epsilon() { return EPSILON; }

    @Override
    public Parameter gamma() { return gamma; }

    @Override
    public Parameter beta() { return beta; }

    @Override
    public Parameter runningMean() { return runningMean; }

    @Override
    public Parameter runningVar() { return runningVar; }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Consumer<NDArray> observer = inputObserver;
        if (observer != null) {
            observer.accept(x);
        }
        var device = x.getDevice();
        return BatchNorm.batchNorm(
                x,
                parameterStore.getValue(runningMean, device, training),
                parameterStore.getValue(runningVar, device, training),
                parameterStore.getValue(gamma, device, training),
                parameterStore.getValue(beta, device, training),
                // -1, not 1: the PyTorch engine hands axis -1 straight to libtorch's batch_norm, which
                // always normalises dim 1 (the channels); any other axis is wrapped in swapAxes(1, axis)
                // views, so the residual add_ wrote into a view and each block's backward paid a
                // CopySlices + AsStridedBackward copy (docs/performance.md)
                CHANNEL_AXIS_AS_LIBTORCH,
                DJL_MOMENTUM,
                EPSILON,
                mode.usesBatchStatistics(training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public LinkedHashMap<String, Parameter> namedTensors() {
        LinkedHashMap<String, Parameter> tensors = new LinkedHashMap<>();
        tensors.put("weight", gamma);
        tensors.put("bias", beta);
        tensors.put("running_mean", runningMean);
        tensors.put("running_var", runningVar);
        return tensors;
    }
}
