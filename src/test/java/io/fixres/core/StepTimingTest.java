package io.fixres.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.fixres.model.BatchNorm2d;
import io.fixres.model.ResNet;
import java.util.Arrays;
import java.util.PrimitiveIterator;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StepTimingTest {
    private NDManager manager;
    private ResNet net;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(3);
        manager = NDManager.newBaseManager();
        net = ResNet.builder().architecture("resnet-small").numClasses(10).inputChannels(1).widthMultiplier(0.25).build();
        net.initialize(manager, 8);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** A clock reading the given milliseconds, one per call. */
    private static LongSupplier clock(long... millis) {
        PrimitiveIterator.OfLong it = Arrays.stream(millis).map(m -> m * 1_000_000).iterator();
        return it::nextLong;
    }

    @Test
    void meanAndSampleStandardDeviationInMilliseconds() {
        StepTiming.Millis m = StepTiming.Millis.ofNanos(new long[] {1_000_000, 2_000_000, 6_000_000});
        assertThat(m.mean()).isCloseTo(3.0, within(1e-12));
        assertThat(m.std()).isCloseTo(Math.sqrt(7), within(1e-12)); // ((-2)^2 + (-1)^2 + 3^2) / 2 = 7
        assertThat(m.repeats()).isEqualTo(3);
        assertThat(StepTiming.Millis.ofNanos(new long[] {5_000_000}).std()).isZero();
        assertThatThrownBy(() -> StepTiming.Millis.ofNanos(new long[0])).hasMessageContaining("no durations");
    }

    @Test
    void warmUpStepsAreRunButNotTimed() {
        // start, forward done, backward done per step; the warm-up step is slow and must not count.
        StepTiming timing = new StepTiming(net, manager, 1, 3, clock(
                0, 100, 300,
                1000, 1001, 1003,
                2000, 2003, 2004,
                3000, 3002, 3005));
        StepTiming.StepTime t = timing.training(8, 2);
        assertThat(t.resolution()).isEqualTo(8);
        assertThat(t.batchSize()).isEqualTo(2);
        assertThat(t.forward().mean()).isCloseTo(2, within(1e-12));
        assertThat(t.forward().std()).isCloseTo(1, within(1e-12));
        assertThat(t.backward().mean()).isCloseTo(2, within(1e-12));
        assertThat(t.backward().std()).isCloseTo(1, within(1e-12));
        assertThat(t.meanStepMillis()).isCloseTo(4, within(1e-12));
    }

    @Test
    void fineTuningTrainsOnlyTheClassifierWithTheLastBatchNormOnBatchStatistics() {
        float[] bn1Mean = bn1().runningMean().getArray().toFloatArray();
        float[] lastMean = net.lastBatchNorm().runningMean().getArray().toFloatArray();

        new StepTiming(net, manager, 0, 1).fineTuning(8, 4);

        assertThat(absSum(gradient("conv1.weight"))).isZero();
        assertThat(absSum(gradient("layer3.1.bn2.weight"))).isZero();
        assertThat(absSum(gradient("fc.weight"))).isPositive();
        assertThat(bn1().runningMean().getArray().toFloatArray()).containsExactly(bn1Mean);
        assertThat(net.lastBatchNorm().runningMean().getArray().toFloatArray()).isNotEqualTo(lastMean);
        assertRestored();
    }

    @Test
    void trainingComputesEveryGradientWithEveryBatchNormOnBatchStatistics() {
        float[] bn1Mean = bn1().runningMean().getArray().toFloatArray();

        new StepTiming(net, manager, 0, 1).training(8, 4);

        assertThat(absSum(gradient("conv1.weight"))).isPositive();
        assertThat(absSum(gradient("fc.weight"))).isPositive();
        assertThat(bn1().runningMean().getArray().toFloatArray()).isNotEqualTo(bn1Mean);
        assertRestored();
    }

    @Test
    void restoresAFrozenParameterAndAModeItFound() {
        Parameter conv1 = net.stateDict().get("conv1.weight");
        conv1.freeze(true);
        bn1().setMode(BatchNorm2d.Mode.EVAL);
        new StepTiming(net, manager, 0, 1).training(8, 2);
        assertThat(conv1.requiresGradient()).isFalse();
        assertThat(bn1().getMode()).isEqualTo(BatchNorm2d.Mode.EVAL);
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> new StepTiming(net, manager, -1, 1)).hasMessageContaining("--warmup");
        assertThatThrownBy(() -> new StepTiming(net, manager, 0, 0)).hasMessageContaining("--repeats");
        StepTiming timing = new StepTiming(net, manager, 0, 1);
        assertThatThrownBy(() -> timing.training(8, 0)).hasMessageContaining("--batch-size");
        assertThatThrownBy(() -> timing.fineTuning(2, 4)).hasMessageContaining("below the minimum 4 px");
    }

    private void assertRestored() {
        assertThat(net.batchNorms().values()).allMatch(bn -> bn.getMode() == BatchNorm2d.Mode.FOLLOW);
        assertThat(net.stateDict().values())
                .filteredOn(p -> p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR)
                .allMatch(Parameter::requiresGradient);
    }

    private BatchNorm2d bn1() {
        return net.batchNorms().get("bn1");
    }

    private NDArray gradient(String key) {
        NDArray g = net.stateDict().get(key).getArray().getGradient();
        g.attach(manager);
        return g;
    }

    private static double absSum(NDArray a) {
        return a.abs().sum().getFloat();
    }
}
