package io.fixres.core;

import ai.djl.nn.Parameter;

/** A BatchNorm layer whose {@link BatchNormMode} can be set per layer, with its four tensors. */
public interface SwitchableBatchNorm {
    BatchNormMode getMode();

    void setMode(BatchNormMode mode);

    int channels();

    Parameter gamma();

    Parameter beta();

    Parameter runningMean();

    Parameter runningVar();
}
