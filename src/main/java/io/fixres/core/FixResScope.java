package io.fixres.core;

import ai.djl.nn.Parameter;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which parameters of a network train and how each BatchNorm normalises, for the length of a
 * try-with-resources block; {@link #close()} puts back exactly what it found (every parameter's
 * trainability and every BatchNorm's mode), whatever they were.
 *
 * <p>The one place that sets up the FixRes step: the fine-tuner, the step timer and the benchmark
 * all open one of these.
 */
public final class FixResScope implements AutoCloseable {
    private final FixResNetwork net;
    private final Map<Parameter, Boolean> requiresGradient = new IdentityHashMap<>();
    private final Map<SwitchableBatchNorm, BatchNormMode> modes = new IdentityHashMap<>();

    private FixResScope(FixResNetwork net) {
        this.net = net;
        net.block().getParameters().values().forEach(p -> requiresGradient.put(p, p.requiresGradient()));
        net.allBatchNorms().forEach(bn -> modes.put(bn, bn.getMode()));
    }

    /**
     * The FixRes step (paper section 5, the authors' code): only the classifier trains (and the
     * last BatchNorm's gamma/beta for {@link LastBatchNormMode#AFFINE}); every BatchNorm runs in
     * inference mode except the last, which uses batch statistics unless {@code bn} is
     * {@link LastBatchNormMode#NONE}. Nothing before the last BatchNorm needs a gradient, so the
     * backward pass stops at the classifier.
     */
    public static FixResScope fineTuning(FixResNetwork net, LastBatchNormMode bn) {
        FixResScope scope = new FixResScope(net);
        scope.requiresGradient.keySet().forEach(p -> p.freeze(true));
        net.classifierParameters().forEach(p -> p.freeze(false));
        if (bn == LastBatchNormMode.AFFINE) {
            net.lastBatchNorm().gamma().freeze(false);
            net.lastBatchNorm().beta().freeze(false);
        }
        scope.modes.keySet().forEach(b -> b.setMode(BatchNormMode.EVAL));
        net.lastBatchNorm().setMode(bn == LastBatchNormMode.NONE ? BatchNormMode.EVAL : BatchNormMode.TRAIN);
        return scope;
    }

    /**
     * Training from scratch: every weight, bias, gamma and beta trains (running statistics never
     * take gradients) and every BatchNorm follows the forward's training flag.
     */
    public static FixResScope fullTraining(FixResNetwork net) {
        FixResScope scope = new FixResScope(net);
        scope.requiresGradient.keySet().forEach(p -> p.freeze(isRunningStatistic(p)));
        scope.modes.keySet().forEach(b -> b.setMode(BatchNormMode.FOLLOW));
        return scope;
    }

    /** Inference: nothing trains and every BatchNorm uses its running statistics. */
    public static FixResScope inference(FixResNetwork net) {
        FixResScope scope = new FixResScope(net);
        scope.requiresGradient.keySet().forEach(p -> p.freeze(true));
        scope.modes.keySet().forEach(b -> b.setMode(BatchNormMode.EVAL));
        return scope;
    }

    /** The parameters this scope lets train, in the block's order. */
    public List<Parameter> trainable() {
        return net.block().getParameters().values().stream().filter(Parameter::requiresGradient).toList();
    }

    private static boolean isRunningStatistic(Parameter p) {
        return p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR;
    }

    @Override
    public void close() {
        requiresGradient.forEach((p, requires) -> p.freeze(!requires));
        modes.forEach(SwitchableBatchNorm::setMode);
    }
}
