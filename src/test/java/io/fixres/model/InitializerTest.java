package io.fixres.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** PyTorch-default initialisations of the conv and linear layers. */
class InitializerTest {

    private static double sampleStd(float[] values) {
        double sum = 0;
        double sumSq = 0;
        for (float v : values) {
            sum += v;
            sumSq += (double) v * v;
        }
        double mean = sum / values.length;
        return Math.sqrt(sumSq / values.length - mean * mean);
    }

    private static float maxAbs(float[] values) {
        float max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    @Test
    void kaimingStdUsesTheRequestedFan() {
        Shape stem = new Shape(64, 3, 7, 7);
        // fan_out = 64 * 7 * 7 = 3136, fan_in = 3 * 49 = 147
        assertThat(KaimingNormalInitializer.reluFanOut().std(stem)).isCloseTo(Math.sqrt(2.0 / 3136), within(1e-12));
        assertThat(new KaimingNormalInitializer(KaimingNormalInitializer.FanMode.FAN_IN, 1).std(stem))
                .isCloseTo(1 / Math.sqrt(147), within(1e-12));
        // a Linear weight (out, in) has receptive field 1
        assertThat(KaimingNormalInitializer.reluFanOut().std(new Shape(10, 128)))
                .isCloseTo(Math.sqrt(2.0 / 10), within(1e-12));
    }

    @Test
    void convWeightsAreDrawnWithKaimingFanOutStd() {
        Engine.getInstance().setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager()) {
            ConvLayer conv = new ConvLayer(64, 256, 3, 1, 1);
            conv.initialize(manager, DataType.FLOAT32, new Shape(1, 64, 8, 8));
            NDArray w = conv.weight().getArray();
            assertThat(w.getShape()).isEqualTo(new Shape(256, 64, 3, 3));
            // 147,456 draws: the sample std's relative error is about 1 / sqrt(2n) = 0.2 %
            assertThat(sampleStd(w.toFloatArray())).isCloseTo(Math.sqrt(2.0 / (256 * 9)), within(0.01 * Math.sqrt(2.0 / (256 * 9))));
        }
    }

    @Test
    void linearWeightAndBiasAreUniformWithinOneOverSqrtFanIn() {
        Engine.getInstance().setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager()) {
            LinearLayer fc = new LinearLayer(16, 1000);
            fc.initialize(manager, DataType.FLOAT32, new Shape(1, 16));
            float bound = 0.25f; // 1 / sqrt(16)
            float[] w = fc.weight().getArray().toFloatArray();
            float[] b = fc.bias().getArray().toFloatArray();
            assertThat(w).hasSize(16_000);
            assertThat(b).hasSize(1000);
            assertThat(maxAbs(w)).isLessThanOrEqualTo(bound).isGreaterThan(0.99f * bound);
            assertThat(maxAbs(b)).isLessThanOrEqualTo(bound).isGreaterThan(0.9f * bound);
            // U(-a, a) has std a / sqrt(3); 16,000 draws
            assertThat(sampleStd(w)).isCloseTo(bound / Math.sqrt(3), within(0.02 * bound / Math.sqrt(3)));
            assertThat(sampleStd(b)).isCloseTo(bound / Math.sqrt(3), within(0.1 * bound / Math.sqrt(3)));
        }
    }
}
