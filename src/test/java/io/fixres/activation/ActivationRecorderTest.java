package io.fixres.activation;

import io.fixres.testing.TinyModels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.fixres.core.ActivationHook;
import io.fixres.model.ResNet;
import io.fixres.stats.ChannelMoments;
import io.fixres.stats.PooledActivationSample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ActivationRecorderTest {
    private NDManager manager;
    private ResNet net;
    private int channels;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(5);
        manager = NDManager.newBaseManager();
        net = TinyModels.net(manager);
        channels = net.featureDim();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** Keeps a host copy of every pre-ReLU batch it sees. */
    private static final class Capture implements ActivationHook {
        final List<float[]> batches = new ArrayList<>();
        final List<Shape> shapes = new ArrayList<>();

        @Override
        public NDArray preReLU(NDArray activations) {
            batches.add(activations.toFloatArray());
            shapes.add(activations.getShape());
            return activations;
        }
    }

    private void forward(int n, int resolution, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] pixels = new float[n * resolution * resolution];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rng.nextGaussian();
        }
        try (NDManager batch = manager.newSubManager()) {
            NDArray x = batch.create(pixels, new Shape(n, 1, resolution, resolution));
            net.forward(new ParameterStore(batch, false), new NDList(x), false);
        }
    }

    /** Global average pooling after the ReLU, computed on the host from the captured maps. */
    private static List<Float> pooledByHand(Capture capture) {
        List<Float> pooled = new ArrayList<>();
        for (int b = 0; b < capture.batches.size(); b++) {
            float[] data = capture.batches.get(b);
            Shape s = capture.shapes.get(b);
            int n = (int) s.get(0);
            int c = (int) s.get(1);
            int spatial = (int) (s.get(2) * s.get(3));
            for (int i = 0; i < n; i++) {
                for (int ch = 0; ch < c; ch++) {
                    double sum = 0;
                    for (int k = 0; k < spatial; k++) {
                        sum += Math.max(0, data[(i * c + ch) * spatial + k]);
                    }
                    pooled.add((float) (sum / spatial));
                }
            }
        }
        return pooled;
    }

    @Test
    void recordsThePooledFeaturesAndPreReluMomentsOfEveryBatch() {
        // channel 0 is forced below zero before the ReLU, so every image has at least one zero feature
        float[] scale = new float[channels];
        float[] shift = new float[channels];
        Arrays.fill(scale, 1);
        scale[0] = 0;
        shift[0] = -1;
        Capture capture = new Capture();
        ActivationRecorder recorder = new ActivationRecorder(channels, 1_000_000, new SplittableRandom(1));
        net.setActivationHook(AdaptationHooks.chain(
                AdaptationHooks.chain(AdaptationHooks.channelAffine(scale, shift), capture), recorder));
        forward(3, 16, 1);
        forward(5, 16, 2);
        forward(2, 20, 3); // another resolution: a 5x5 map instead of 4x4

        List<Float> expected = pooledByHand(capture);
        PooledActivationSample pooled = recorder.pooled();
        assertThat(pooled.values()).isEqualTo(10L * channels);
        long zeros = expected.stream().filter(v -> v == 0).count();
        assertThat(zeros).isGreaterThanOrEqualTo(10);
        assertThat(pooled.zeros()).isEqualTo(zeros);
        float[] nonZero = pooled.nonZeroSample(); // the reservoir holds them all, in order
        List<Float> expectedNonZero = expected.stream().filter(v -> v != 0).toList();
        assertThat(nonZero).hasSize(expectedNonZero.size());
        for (int i = 0; i < nonZero.length; i++) {
            assertThat(nonZero[i]).as("non-zero pooled value %d", i).isCloseTo(expectedNonZero.get(i), within(1e-5f));
        }

        ChannelMoments byHand = new ChannelMoments(channels);
        for (int b = 0; b < capture.batches.size(); b++) {
            Shape s = capture.shapes.get(b);
            byHand.add(capture.batches.get(b), (int) s.get(0), channels, (int) (s.get(2) * s.get(3)));
        }
        ChannelMoments recorded = recorder.preReLUMoments();
        assertThat(recorded.count()).isEqualTo(3 * 16 + 5 * 16 + 2 * 25);
        for (int ch = 0; ch < channels; ch++) {
            assertThat(recorded.mean()[ch]).as("mean %d", ch)
                    .isCloseTo(byHand.mean()[ch], within(1e-5 * (1 + Math.abs(byHand.mean()[ch]))));
            assertThat(recorded.variance()[ch]).as("variance %d", ch)
                    .isCloseTo(byHand.variance()[ch], within(1e-5 * (1 + byHand.variance()[ch])));
        }
        assertThat(recorded.mean()[0]).isEqualTo(-1.0);
        assertThat(recorded.variance()[0]).isEqualTo(0.0);
    }

    @Test
    void aSmallReservoirKeepsExactCountsAndAUniformSubsetOfTheNonZeros() {
        Capture capture = new Capture();
        ActivationRecorder recorder = new ActivationRecorder(channels, 50, new SplittableRandom(2));
        net.setActivationHook(AdaptationHooks.chain(capture, recorder));
        forward(8, 16, 4);
        List<Float> expected = pooledByHand(capture);
        long zeros = expected.stream().filter(v -> v == 0).count();
        assertThat(recorder.pooled().values()).isEqualTo(8L * channels);
        assertThat(recorder.pooled().zeros()).isEqualTo(zeros);
        assertThat(recorder.pooled().nonZeroSeen()).isEqualTo(8L * channels - zeros);
        float[] sample = recorder.pooled().nonZeroSample();
        assertThat(sample).hasSize(50);
        for (float v : sample) {
            assertThat(v).isNotZero();
            assertThat(expected.stream().anyMatch(e -> Math.abs(e - v) <= 1e-5f)).as("%s is a pooled value", v).isTrue();
        }
    }

    @Test
    void refusesActivationsOfAnotherWidth() {
        ActivationRecorder recorder = new ActivationRecorder(channels + 1, 10, new SplittableRandom(3));
        net.setActivationHook(recorder);
        assertThatThrownBy(() -> forward(1, 16, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("C = " + (channels + 1)).hasMessageContaining("(1, " + channels + ", 4, 4)");
    }

    @Test
    void aMeasurementPassRecordsEveryImageAndLeavesTheInstalledHookInPlace() {
        ActivationHook installed = AdaptationHooks.pooledAffine(1, 0);
        net.setActivationHook(installed);
        ActivationMeasurement measurement = new ActivationMeasurement(net, TinyModels.card(net), manager, 7, 1).seed(3);
        ActivationMeasurement.Measured m = measurement.measure(TinyModels.images(20, 1), 16, n -> { });
        assertThat(m.resolution()).isEqualTo(16);
        assertThat(m.accuracy().images()).isEqualTo(20);
        assertThat(m.pooled().values()).isEqualTo(20L * channels);
        assertThat(m.preReLU().count()).isEqualTo(20L * 4 * 4);
        assertThat(net.getActivationHook()).isSameAs(installed);
        // the same pass again gives the same sample: the reservoir is seeded
        ActivationMeasurement.Measured again = measurement.measure(TinyModels.images(20, 1), 16, n -> { });
        assertThat(again.pooled().nonZeroSample()).containsExactly(m.pooled().nonZeroSample());
        assertThat(again.preReLU().mean()).containsExactly(m.preReLU().mean());
    }
}
