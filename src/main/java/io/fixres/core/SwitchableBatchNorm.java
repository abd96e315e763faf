package io.fixres.core;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.function.Consumer;

/**
 * A BatchNorm layer whose {@link BatchNormMode} can be set per layer, with its four tensors, and
 * whose input can be observed (the one-pass statistics of {@link BatchNormStatistics}).
 */
public interface SwitchableBatchNorm {
    BatchNormMode getMode();

    void setMode(BatchNormMode mode);

    int channels();

    /** The epsilon added to the variance before its square root. */
    float epsilon();

    Parameter gamma();

    Parameter beta();

    Parameter runningMean();

    Parameter runningVar();

    /**
     * Hands every input (N, C, H, W) of the following forwards to {@code observer} before it is
     * normalised; {@code null} stops. The observer must not keep the array.
     */
    void setInputObserver(Consumer<NDArray> observer);
}
