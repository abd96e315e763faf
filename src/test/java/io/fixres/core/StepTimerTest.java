package io.fixres.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
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

class StepTimerTest {
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
        StepTimer.Millis m = StepTimer.Millis.ofNanos(new long[] {1_000_000, 2_000_000, 6_000_000});
        assertThat(m.mean()).isCloseTo(3.0, within(1e-12));
        assertThat(m.std()).isCloseTo(Math.sqrt(7), within(1e-12)); // ((-2)^2 + (-1)^2 + 3^2) / 2 = 7
        assertThat(m.repeats()).isEqualTo(3);
        assertThat(StepTimer.Millis.ofNanos(new long[] {5_000_000}).std()).isZero();
        assertThatThrownBy(() -> StepTimer.Millis.ofNanos(new long[0])).hasMessageContaining("no durations");
    }

    @Test
    void warmUpStepsAreRunButNotTimed() {
        // start, forward done, backward done, update done per step; the warm-up step is slow and must not count.
        StepTimer timing = new StepTimer(net, manager, 1, 3, clock(
                0, 100, 300, 700,
                1000, 1001, 1003, 1004,
                2000, 2003, 2004, 2006,
                3000, 3002, 3005, 3008));
        StepTimer.StepTime t = timing.training(8, 2);
        assertThat(t.resolution()).isEqualTo(8);
        assertThat(t.batchSize()).isEqualTo(2);
        assertThat(t.forward().mean()).isCloseTo(2, within(1e-12));
        assertThat(t.forward().std()).isCloseTo(1, within(1e-12));
        assertThat(t.backward().mean()).isCloseTo(2, within(1e-12));
        assertThat(t.backward().std()).isCloseTo(1, within(1e-12));
        assertThat(t.update().mean()).isCloseTo(2, within(1e-12));
        assertThat(t.update().std()).isCloseTo(1, within(1e-12));
        assertThat(t.meanStepMillis()).isCloseTo(4, within(1e-12));
        assertThat(t.meanStepWithUpdateMillis()).isCloseTo(6, within(1e-12));
    }

    @Test
    void fineTuningTrainsOnlyTheClassifierWithTheLastBatchNormOnBatchStatistics() {
        float[] conv1 = values("conv1.weight");
        float[] gamma = values("layer3.1.bn2.weight");
        float[] fc = values("fc.weight");
        float[] bn1Mean = bn1().runningMean().getArray().toFloatArray();
        float[] lastMean = net.lastBatchNorm().runningMean().getArray().toFloatArray();

        new StepTimer(net, manager, 0, 1).fineTuning(8, 4, LastBatchNormMode.STATS);

        assertThat(values("conv1.weight")).containsExactly(conv1);
        assertThat(values("layer3.1.bn2.weight")).containsExactly(gamma);
        assertThat(values("fc.weight")).isNotEqualTo(fc);
        assertThat(bn1().runningMean().getArray().toFloatArray()).containsExactly(bn1Mean);
        assertThat(net.lastBatchNorm().runningMean().getArray().toFloatArray()).isNotEqualTo(lastMean);
        assertRestored();
    }

    @Test
    void affineFineTuningAlsoTrainsTheLastBatchNormsGammaAndBeta() {
        float[] gamma = values("layer3.1.bn2.weight");
        float[] conv = values("layer3.1.conv2.weight");
        new StepTimer(net, manager, 0, 1).fineTuning(8, 4, LastBatchNormMode.AFFINE);
        assertThat(values("layer3.1.bn2.weight")).isNotEqualTo(gamma);
        assertThat(values("layer3.1.conv2.weight")).containsExactly(conv);
        assertRestored();
    }

    @Test
    void trainingUpdatesEveryWeightWithEveryBatchNormOnBatchStatistics() {
        float[] conv1 = values("conv1.weight");
        float[] fc = values("fc.weight");
        float[] bn1Mean = bn1().runningMean().getArray().toFloatArray();

        new StepTimer(net, manager, 0, 1).training(8, 4);

        assertThat(values("conv1.weight")).isNotEqualTo(conv1);
        assertThat(values("fc.weight")).isNotEqualTo(fc);
        assertThat(bn1().runningMean().getArray().toFloatArray()).isNotEqualTo(bn1Mean);
        assertRestored();
    }

    @Test
    void restoresAFrozenParameterAndAModeItFound() {
        Parameter conv1 = net.stateDict().get("conv1.weight");
        conv1.freeze(true);
        bn1().setMode(BatchNormMode.EVAL);
        new StepTimer(net, manager, 0, 1).training(8, 2);
        assertThat(conv1.requiresGradient()).isFalse();
        assertThat(bn1().getMode()).isEqualTo(BatchNormMode.EVAL);
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> new StepTimer(net, manager, -1, 1)).hasMessage("warm-up steps must be >= 0, got -1");
        assertThatThrownBy(() -> new StepTimer(net, manager, 0, 0)).hasMessage("timed steps must be >= 1, got 0");
        StepTimer timing = new StepTimer(net, manager, 0, 1);
        assertThatThrownBy(() -> timing.training(8, 0)).hasMessage("batch size must be >= 1, got 0");
        assertThatThrownBy(() -> timing.fineTuning(2, 4, LastBatchNormMode.STATS)).hasMessageContaining("below the minimum 4 px");
    }

    private void assertRestored() {
        assertThat(net.batchNorms().values()).allMatch(bn -> bn.getMode() == BatchNormMode.FOLLOW);
        assertThat(net.stateDict().values())
                .filteredOn(p -> p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR)
                .allMatch(Parameter::requiresGradient);
    }

    private BatchNorm2d bn1() {
        return net.batchNorms().get("bn1");
    }

    private float[] values(String key) {
        return net.stateDict().get(key).getArray().toFloatArray();
    }
}
