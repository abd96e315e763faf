package io.fixres.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * He/Kaiming normal initialisation, N(0, std^2) with std = gain / sqrt(fan), the fans computed
 * like PyTorch's {@code _calculate_fan_in_and_fan_out}: for a weight (out, in, k1, k2, ...)
 * fan_in = in * k1 * k2 ... and fan_out = out * k1 * k2 ....
 */
public final class KaimingNormalInitializer implements Initializer {

    /** Which fan the variance is normalised by. */
    public enum FanMode { FAN_IN, FAN_OUT }

    private final FanMode mode;
    private final double gain;

    public KaimingNormalInitializer(FanMode mode, double gain) {
        if (!(gain > 0)) {
            throw new IllegalArgumentException("Kaiming gain must be positive, got " + gain);
        }
        this.mode = mode;
        this.gain = gain;
    }

    /** torchvision's ResNet convolutions: {@code kaiming_normal_(mode="fan_out", nonlinearity="relu")}. */
    public static KaimingNormalInitializer reluFanOut() {
        return new KaimingNormalInitializer(FanMode.FAN_OUT, Math.sqrt(2.0));
    }

    /** The standard deviation this initialiser draws with for a weight of the given shape. */
    public double std(Shape shape) {
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException(
                    "Kaiming initialisation needs a weight with at least 2 dimensions, got " + shape);
        }
        long receptiveField = shape.size() / (shape.get(0) * shape.get(1));
        long fan = (mode == FanMode.FAN_OUT ? shape.get(0) : shape.get(1)) * receptiveField;
        return gain / Math.sqrt(fan);
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        return manager.randomNormal(0f, (float) std(shape), shape, dataType, manager.getDevice());
    }
}
