package io.fixres.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.fixres.core.FixResScope;
import io.fixres.core.LastBatchNormMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelsLastTest {

    private NDManager manager;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(5);
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void theConversionKeepsShapeAndEveryValueInLogicalOrder(int channels) {
        NDArray x = manager.arange(2f * channels * 3 * 4).reshape(2, channels, 3, 4);
        NDArray converted = ChannelsLast.of(x);
        assertThat(converted.getShape()).isEqualTo(new Shape(2, channels, 3, 4));
        assertThat(converted.toFloatArray()).containsExactly(x.toFloatArray());
        // element (n=1, c=last, h=2, w=3) read through the view is the same element of x
        assertThat(converted.getFloat(1, channels - 1, 2, 3)).isEqualTo(x.getFloat(1, channels - 1, 2, 3));
        assertThat(x.isReleased()).isFalse();
    }

    @Test
    void inferenceLogitsAreTheSameChannelsLastAndNchw() {
        ResNet net = ResNet.builder().architecture("resnet-small").numClasses(10).inputChannels(1).build();
        net.initialize(manager, 24);
        NDArray x = manager.randomNormal(new Shape(8, 1, 24, 24));
        float[] last = logits(net, x, true, false);
        float[] nchw = logits(net, x, false, false);
        assertClose(last, nchw);
    }

    @Test
    void threeChannelNetworksGiveTheSameLogitsToo() {
        ResNet net = ResNet.builder().architecture("resnet18").numClasses(5).inputChannels(3).build();
        net.initialize(manager, 64);
        NDArray x = manager.randomNormal(new Shape(2, 3, 64, 64));
        assertClose(logits(net, x, true, false), logits(net, x, false, false));
    }

    @Test
    void theFixResStepsForwardMatchesAndItsGradientReachesTheClassifier() {
        ResNet net = ResNet.builder().architecture("resnet-small").numClasses(10).inputChannels(1).build();
        net.initialize(manager, 24);
        NDArray x = manager.randomNormal(new Shape(8, 1, 24, 24));
        try (FixResScope ignored = FixResScope.fineTuning(net, LastBatchNormMode.AFFINE)) {
            // trunk frozen, last BN on batch statistics: no convolution is trained, so this runs channels-last
            assertThat(net.runsChannelsLast(true)).isTrue();
            float[] last = logits(net, x, true, true);
            float[] nchw = logits(net, x, false, true);
            assertClose(last, nchw);
        }
    }

    @Test
    void aForwardThatTrainsConvolutionsStaysNchwAndTheSwitchTurnsItOff() {
        ResNet net = ResNet.builder().architecture("resnet-small").numClasses(10).inputChannels(1).build();
        net.initialize(manager, 24);
        net.setChannelsLast(true);
        try (FixResScope ignored = FixResScope.fullTraining(net)) {
            assertThat(net.runsChannelsLast(true)).isFalse();
            assertThat(net.runsChannelsLast(false)).isTrue();
        }
        net.setChannelsLast(false);
        assertThat(net.runsChannelsLast(false)).isFalse();
    }

    @Test
    void bottleneckNetworksStayNchwBecauseOneDnnCrashesOnTheirPointwiseConvolutions() {
        ResNet net = ResNet.builder().architecture("resnet50").numClasses(10).inputChannels(3).build();
        assertThat(net.channelsLast()).isFalse();
        assertThat(net.runsChannelsLast(false)).isFalse();
        assertThatThrownBy(() -> net.setChannelsLast(true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resnet50 has stride-1 1x1 convolutions");
        assertThat(ResNet.builder().architecture("resnet18").numClasses(10).inputChannels(3).build().channelsLast()).isTrue();
    }

    private float[] logits(ResNet net, NDArray x, boolean channelsLast, boolean training) {
        net.setChannelsLast(channelsLast);
        try (NDManager batch = manager.newSubManager()) {
            NDArray input = x.duplicate();
            input.attach(batch);
            return net.forward(new ParameterStore(manager, false), new NDList(input), training)
                    .singletonOrThrow().toFloatArray();
        }
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.length; i++) {
            assertThat(actual[i]).as("logit %d", i).isCloseTo(expected[i], within(1e-4f * Math.max(1f, Math.abs(expected[i]))));
        }
    }
}
