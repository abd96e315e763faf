package io.fixres.core;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterServer;
import ai.djl.training.optimizer.Optimizer;
import java.util.Objects;

/**
 * Hands each parameter and its gradient straight to the optimizer, for a network on one device.
 * DJL's {@code LocalParameterServer} first duplicates every gradient (the buffer in which it sums
 * the copies of several devices): on one device that is one clone per parameter per step for
 * nothing, as the optimizer's own update already works on a copy of the gradient.
 */
public final class SingleDeviceParameterServer implements ParameterServer {
    private final Optimizer optimizer;

    public SingleDeviceParameterServer(Optimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    }

    @Override
    public void init(String parameterId, NDArray[] value) {
        // nothing to set up: the optimizer creates its state (momentum) at the first update
    }

    @Override
    public void update(String parameterId, NDArray[] grads, NDArray[] params) {
        if (params.length != 1 || grads.length != 1) {
            throw new IllegalStateException("parameter " + parameterId + " lives on " + params.length
                    + " devices: this parameter server serves one device only");
        }
        optimizer.update(parameterId, params[0], grads[0]);
    }

    @Override
    public void close() {
        // holds no arrays
    }
}
