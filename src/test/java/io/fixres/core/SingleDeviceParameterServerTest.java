package io.fixres.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterServer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

class SingleDeviceParameterServerTest {

    private static Optimizer sgd() {
        return Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.5f)).optMomentum(0.9f).optWeightDecays(0.1f)
                .build();
    }

    /** Two momentum steps with the same gradients through each server: w, then the momentum, by hand. */
    private static float[] twoSteps(ParameterServer server, NDManager manager) {
        NDArray weight = manager.create(new float[] {1f, -2f});
        server.init("w", new NDArray[] {weight});
        for (float[] g : new float[][] {{0.2f, 0.4f}, {-0.6f, 1.0f}}) {
            NDArray gradient = manager.create(g);
            server.update("w", new NDArray[] {gradient}, new NDArray[] {weight});
        }
        return weight.toFloatArray();
    }

    @Test
    void updatesExactlyAsDjlsLocalParameterServer() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] direct = twoSteps(new SingleDeviceParameterServer(sgd()), manager);
            float[] local = twoSteps(new LocalParameterServer(sgd()), manager);
            assertThat(direct).containsExactly(local);
            // DJL's SGD: v = 0.9 v + 0.5 (g + 0.1 w); w -= v. Step 1: v = 0.5 * (0.2 + 0.1) = 0.15, w = 0.85;
            // step 2: v = 0.135 + 0.5 * (-0.6 + 0.085) = -0.1225, w = 0.9725
            assertThat(direct[0]).isCloseTo(0.9725f, within(1e-6f));
        }
    }

    @Test
    void refusesAParameterOnSeveralDevices() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.create(new float[] {1f});
            NDArray b = manager.create(new float[] {1f});
            assertThatThrownBy(() -> new SingleDeviceParameterServer(sgd()).update("w", new NDArray[] {a, b},
                    new NDArray[] {a, b})).hasMessageContaining("parameter w lives on 2 devices");
        }
    }
}
