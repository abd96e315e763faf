package io.fixres.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Wiring of the residual blocks. With zero-initialised residual gammas and fresh running
 * statistics (mean 0, var 1) an inference forward zeroes the branch exactly, so the block's
 * pre-activation is the shortcut alone and its output is relu(shortcut).
 */
class ResidualBlockTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(13);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private static ConvLayer conv(ResidualBlock block, String name) {
        return (ConvLayer) block.namedModules().get(name);
    }

    @Test
    void bottleneckPutsTheStrideOnTheThreeByThreeConv() {
        Bottleneck block = new Bottleneck(64, 32, 2, false);
        assertThat(block.namedModules().keySet()).containsExactly(
                "conv1", "bn1", "conv2", "bn2", "conv3", "bn3", "downsample.0", "downsample.1");
        assertThat(conv(block, "conv1").geometry()).isEqualTo(new SpatialGeometry(1, 1, 0));
        assertThat(conv(block, "conv2").geometry()).isEqualTo(new SpatialGeometry(3, 2, 1));
        assertThat(conv(block, "conv3").geometry()).isEqualTo(new SpatialGeometry(1, 1, 0));
        assertThat(conv(block, "downsample.0").geometry()).isEqualTo(new SpatialGeometry(1, 2, 0));
        assertThat(block.outChannels()).isEqualTo(128);
        assertThat(block.lastBatchNormName()).isEqualTo("bn3");
    }

    @Test
    void basicBlockPutsTheStrideOnItsFirstConv() {
        BasicBlock block = new BasicBlock(32, 64, 2, false);
        assertThat(block.namedModules().keySet()).containsExactly(
                "conv1", "bn1", "conv2", "bn2", "downsample.0", "downsample.1");
        assertThat(conv(block, "conv1").geometry()).isEqualTo(new SpatialGeometry(3, 2, 1));
        assertThat(conv(block, "conv2").geometry()).isEqualTo(new SpatialGeometry(3, 1, 1));
        assertThat(new BasicBlock(32, 32, 1, false).hasDownsample()).isFalse();
    }

    @Test
    void identityBlockAddsItsInputBeforeTheFinalRelu() {
        BasicBlock block = new BasicBlock(8, 8, 1, true);
        block.initialize(manager, DataType.FLOAT32, new Shape(2, 8, 5, 5));
        NDArray x = manager.randomNormal(new Shape(2, 8, 5, 5));
        ParameterStore store = new ParameterStore(manager, false);
        assertThat(block.preActivation(store, x, false).toFloatArray()).isEqualTo(x.toFloatArray());
        assertThat(block.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray())
                .isEqualTo(Activation.relu(x).toFloatArray());
    }

    @Test
    void projectionBlockAddsTheNormalisedStridedProjection() {
        Bottleneck block = new Bottleneck(8, 4, 2, true);
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 8, 7, 7));
        NDArray x = manager.randomNormal(new Shape(1, 8, 7, 7));
        NDArray pre = block.preActivation(new ParameterStore(manager, false), x, false);
        assertThat(pre.getShape()).isEqualTo(new Shape(1, 16, 4, 4));
        // downsample.1 in inference with running mean 0, var 1, gamma 1, beta 0: y = x / sqrt(1 + eps)
        NDArray projection = Conv2d.conv2d(x, conv(block, "downsample.0").weight().getArray(), null,
                new Shape(2, 2), new Shape(0, 0)).singletonOrThrow().div(Math.sqrt(1 + BatchNorm2d.EPSILON));
        float[] expected = projection.toFloatArray();
        float[] actual = pre.toFloatArray();
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(1e-6f));
        }
    }
}
