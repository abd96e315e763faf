package io.fixres.model;

import io.fixres.core.BatchNormMode;
import io.fixres.core.ActivationHook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.Map;

class ResNetForwardTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(11);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static ResNet small() {
        return ResNet.builder().architecture("resnet-small").numClasses(10).inputChannels(1).build();
    }

    private NDArray forward(ResNet net, NDArray x, boolean training) {
        return net.forward(new ParameterStore(manager, false), new NDList(x), training).singletonOrThrow();
    }

    private NDArray input(int n, int c, int h, int w) {
        return manager.randomNormal(new Shape(n, c, h, w));
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 24, 28, 33, 64})
    void smallResNetGivesOneLogitPerClassAtAnyResolution(int resolution) {
        ResNet net = small();
        net.initialize(manager, 28);
        assertThat(forward(net, input(2, 1, resolution, resolution), false).getShape()).isEqualTo(new Shape(2, 10));
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 97, 224})
    void resnet18GivesOneLogitPerClassAtAnyResolution(int resolution) {
        ResNet net = ResNet.builder().architecture("resnet18").numClasses(1000).inputChannels(3).build();
        net.initialize(manager, 224);
        assertThat(forward(net, input(1, 3, resolution, resolution), false).getShape()).isEqualTo(new Shape(1, 1000));
    }

    @Test
    void nonSquareInputsAndTrainingForwardsWork() {
        ResNet net = small();
        net.initialize(manager, 28);
        assertThat(forward(net, input(2, 1, 24, 32), true).getShape()).isEqualTo(new Shape(2, 10));
    }

    @Test
    void badInputsAreRefusedWithTheExpectedShape() {
        ResNet net = small();
        net.initialize(manager, 28);
        assertThatThrownBy(() -> forward(net, input(1, 3, 28, 28), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(N, 1, H, W)").hasMessageContaining("(1, 3, 28, 28)");
        assertThatThrownBy(() -> forward(net, manager.zeros(new Shape(1, 1, 0, 28)), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input resolution 0 px is below the minimum 1 px");
        assertThatThrownBy(() -> net.initialize(manager, 0)).hasMessageContaining("input resolution 0 px");
    }

    @Test
    void hookSeesThePreReluActivationsAndThePooledFeatures() {
        ResNet net = small();
        net.initialize(manager, 28);
        Map<String, NDArray> seen = new LinkedHashMap<>();
        net.setActivationHook(new ActivationHook() {
            @Override
            public NDArray preReLU(NDArray activations) {
                seen.put("preReLU", activations);
                return activations;
            }

            @Override
            public NDArray pooled(NDArray features) {
                seen.put("pooled", features);
                return features;
            }
        });
        forward(net, input(2, 1, 24, 24), false);
        NDArray pre = seen.get("preReLU");
        assertThat(pre.getShape()).isEqualTo(new Shape(2, 128, 6, 6));
        assertThat(pre.min().getFloat()).isNegative(); // before the ReLU
        float[] expectedPooled = Activation.relu(pre).reshape(2, 128, 36).mean(new int[] {2}).toFloatArray();
        assertThat(seen.get("pooled").getShape()).isEqualTo(new Shape(2, 128));
        float[] pooled = seen.get("pooled").toFloatArray();
        for (int i = 0; i < pooled.length; i++) {
            assertThat(pooled[i]).as("pooled[%d]", i).isCloseTo(expectedPooled[i], within(1e-5f));
        }
    }

    @Test
    void aForwardFreesItsIntermediatesAndKeepsTheInputAndWhatTheHooksSaw() {
        ResNet net = small();
        net.initialize(manager, 28);
        try (NDManager batch = manager.newSubManager()) {
            NDArray x = batch.randomNormal(new Shape(2, 1, 24, 24));
            NDArray logits = forward(net, x, false);
            assertThat(x.isReleased()).isFalse();
            assertThat(batch.getManagedArrays()).contains(x, logits).hasSize(4);
        }
    }

    @Test
    void hookResultsFeedTheRestOfTheNetwork() {
        ResNet net = small();
        net.initialize(manager, 28);
        // a negative pre-ReLU map becomes 0 after the ReLU, so the pooled features are 0 and the logits are fc.bias
        net.setActivationHook(new ActivationHook() {
            @Override
            public NDArray preReLU(NDArray activations) {
                return activations.zerosLike().sub(1);
            }
        });
        float[] bias = net.stateDict().get("fc.bias").getArray().toFloatArray();
        float[] logits = forward(net, input(1, 1, 28, 28), false).toFloatArray();
        assertThat(logits).containsExactly(bias);
        // and a pooled hook replaces the classifier's input
        net.setActivationHook(new ActivationHook() {
            @Override
            public NDArray pooled(NDArray features) {
                return features.zerosLike();
            }
        });
        assertThat(forward(net, input(1, 1, 28, 28), false).toFloatArray()).containsExactly(bias);
        net.setActivationHook(ActivationHook.IDENTITY);
        assertThat(forward(net, input(1, 1, 28, 28), false).toFloatArray()).isNotEqualTo(bias);
    }

    @Test
    void fixResModesUpdateOnlyTheLastBatchNormInAnInferenceForward() {
        ResNet net = small();
        net.initialize(manager, 28);
        Map<String, float[]> before = runningStats(net);
        net.setAllBatchNormModes(BatchNormMode.EVAL);
        net.lastBatchNorm().setMode(BatchNormMode.TRAIN);
        forward(net, input(4, 1, 28, 28), false);
        Map<String, float[]> after = runningStats(net);
        for (String key : before.keySet()) {
            if (key.startsWith("layer3.1.bn2.")) {
                assertThat(after.get(key)).as(key).isNotEqualTo(before.get(key));
            } else {
                assertThat(after.get(key)).as(key).containsExactly(before.get(key));
            }
        }
        // and with every BN in EVAL, even a training forward leaves all statistics alone
        net.setAllBatchNormModes(BatchNormMode.EVAL);
        Map<String, float[]> frozen = runningStats(net);
        forward(net, input(4, 1, 28, 28), true);
        runningStats(net).forEach((key, value) -> assertThat(value).as(key).containsExactly(frozen.get(key)));
    }

    private static Map<String, float[]> runningStats(ResNet net) {
        Map<String, float[]> stats = new LinkedHashMap<>();
        net.stateDict().forEach((key, p) -> {
            if (key.endsWith("running_mean") || key.endsWith("running_var")) {
                stats.put(key, p.getArray().toFloatArray());
            }
        });
        return stats;
    }

    @Test
    void zeroInitResidualZeroesTheLastGammaOfEveryBlock() {
        ResNet net = ResNet.builder().architecture("resnet-small").numClasses(10).inputChannels(1)
                .zeroInitResidual(true).build();
        net.initialize(manager, 28);
        net.batchNorms().forEach((name, bn) -> {
            float expected = name.endsWith(".bn2") ? 0f : 1f;
            assertThat(bn.gamma().getArray().toFloatArray()).as(name).containsOnly(expected);
        });
    }
}
