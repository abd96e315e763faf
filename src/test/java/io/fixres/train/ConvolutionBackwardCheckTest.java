package io.fixres.train;

import io.fixres.testing.TinyData;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import io.fixres.model.ResNet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine's convolution gradients are exact and repeatable. On AVX-512 machines libtorch's oneDNN
 * backward-data kernel returned a different (sometimes NaN) input gradient per call for channel
 * counts that are not a multiple of 16, which made CI's tiny trainings diverge at random.
 */
class ConvolutionBackwardCheckTest {

    @Test
    void theProbeGradientEqualsADirectComputationEveryTime() {
        double[] expected = directInputGradient();
        for (int i = 0; i < 20; i++) {
            float[] gradient = ConvolutionBackwardCheck.probeInputGradient();
            assertThat(gradient).hasSize(expected.length);
            for (int j = 0; j < expected.length; j++) {
                assertThat((double) gradient[j]).as("element %d, repetition %d", j, i)
                        .isCloseTo(expected[j], org.assertj.core.data.Offset.offset(1e-4 + 1e-5 * Math.abs(expected[j])));
            }
        }
        assertThat(ConvolutionBackwardCheck.probe()).isEmpty();
    }

    /**
     * The probe covers each distinct convolution training back-propagates into: resnet-small at width
     * 1.0 has seven (the stem, whose input is the image, is not one), at width 0.25 the same seven
     * shapes with 8 to 32 channels.
     */
    @Test
    void theNetworkProbeCoversEachDistinctConvolutionButTheStem() {
        ResNet wide = ResNet.builder().architecture("resnet-small").numClasses(10).inputChannels(1).build();
        assertThat(ConvolutionBackwardCheck.gradientConvolutions(wide).stream().map(c -> c.inChannels() + "->"
                + c.outChannels() + " " + c.geometry().kernel() + "/" + c.geometry().stride()).toList())
                .containsExactly("32->32 3/1", "32->64 3/2", "64->64 3/1", "32->64 1/2", "64->128 3/2", "128->128 3/1",
                        "64->128 1/2");
        ResNet narrow = ResNet.builder().architecture("resnet-small").numClasses(10).inputChannels(1)
                .widthMultiplier(0.25).build();
        assertThat(ConvolutionBackwardCheck.gradientConvolutions(narrow)).hasSize(7)
                .allMatch(c -> c.inChannels() >= 8 && c.outChannels() <= 32);
        ConvolutionBackwardCheck.require(narrow); // the tests run at AVX2, where every gradient is exact
    }

    /**
     * A from-scratch training step of the tiny width-0.25 network (8-channel convolutions) on one
     * fixed batch, 12 times from the same weights: every gradient is finite and bit-identical.
     */
    @Test
    void aTrainingStepOfANarrowNetworkGivesFiniteIdenticalGradientsOnTheSameBatch() {
        Engine.getInstance().setRandomSeed(3);
        try (Model model = Model.newInstance("check")) {
            ResNet net = TinyData.network(model);
            NDManager manager = model.getNDManager();
            NDArray x = manager.arange(16 * 16 * 16).toType(DataType.FLOAT32, false).reshape(16, 1, 16, 16)
                    .mul(0.113f).sin();
            NDArray y = manager.arange(16).toType(DataType.INT64, false).mod(TinyData.CLASSES);
            Map<String, float[]> first = null;
            for (int repetition = 0; repetition < 12; repetition++) {
                Map<String, float[]> gradients = gradients(net, manager, x, y);
                for (Map.Entry<String, float[]> g : gradients.entrySet()) {
                    for (float v : g.getValue()) {
                        assertThat(Float.isFinite(v)).as("gradient of %s, repetition %d", g.getKey(), repetition).isTrue();
                    }
                }
                if (first == null) {
                    first = gradients;
                } else {
                    for (String key : first.keySet()) {
                        assertThat(Arrays.equals(first.get(key), gradients.get(key)))
                                .as("gradient of %s, repetition %d, equals the first", key, repetition).isTrue();
                    }
                }
            }
            assertThat(first).containsKeys("conv1.weight", "layer1.0.conv1.weight", "fc.weight");
        }
    }

    /** Gradients of every trainable tensor for one forward/backward in training mode (no update). */
    private static Map<String, float[]> gradients(ResNet net, NDManager manager, NDArray x, NDArray y) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager step = manager.newSubManager()) {
            ParameterStore store = new ParameterStore(step, false);
            List<String> keys = new ArrayList<>();
            net.stateDict().forEach((key, p) -> {
                if (p.requiresGradient()) {
                    keys.add(key);
                }
            });
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = net.forward(store, new NDList(x), true).singletonOrThrow();
                collector.backward(Loss.softmaxCrossEntropyLoss().evaluate(new NDList(y), new NDList(logits)));
            }
            for (String key : keys) {
                NDArray gradient = net.stateDict().get(key).getArray().getGradient();
                out.put(key, gradient.toFloatArray());
                gradient.subi(gradient); // libtorch accumulates gradients: start the next repetition from 0
            }
        }
        return out;
    }

    /** d(sum(y^2))/dx = conv_transpose(2y, w) for the probe's inputs, in double precision. */
    private static double[] directInputGradient() {
        int n = 16, c = 8, side = 8;
        double[] x = new double[n * c * side * side];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.sin((float) i * 0.37f);
        }
        double[] w = new double[c * c * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.cos((float) i * 0.91f) * 0.1f;
        }
        double[] y = new double[x.length];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < c; o++) {
                for (int r = 0; r < side; r++) {
                    for (int q = 0; q < side; q++) {
                        double sum = 0;
                        for (int i = 0; i < c; i++) {
                            for (int kr = 0; kr < 3; kr++) {
                                for (int kq = 0; kq < 3; kq++) {
                                    int rr = r + kr - 1, qq = q + kq - 1;
                                    if (rr >= 0 && rr < side && qq >= 0 && qq < side) {
                                        sum += w[((o * c + i) * 3 + kr) * 3 + kq] * x[((b * c + i) * side + rr) * side + qq];
                                    }
                                }
                            }
                        }
                        y[((b * c + o) * side + r) * side + q] = sum;
                    }
                }
            }
        }
        double[] dx = new double[x.length];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < c; o++) {
                for (int r = 0; r < side; r++) {
                    for (int q = 0; q < side; q++) {
                        double g = 2 * y[((b * c + o) * side + r) * side + q];
                        for (int i = 0; i < c; i++) {
                            for (int kr = 0; kr < 3; kr++) {
                                for (int kq = 0; kq < 3; kq++) {
                                    int rr = r + kr - 1, qq = q + kq - 1;
                                    if (rr >= 0 && rr < side && qq >= 0 && qq < side) {
                                        dx[((b * c + i) * side + rr) * side + qq] += g * w[((o * c + i) * 3 + kr) * 3 + kq];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return dx;
    }
}
