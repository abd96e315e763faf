package io.fixres.model;

import io.fixres.core.BatchNormMode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Numerical behaviour of {@link BatchNorm2d} against hand-computed values. The batch (2, 2, 2, 2):
 * channel 0 holds 1..4 (sample 0) and 5..8 (sample 1): mean 4.5, biased variance 5.25,
 * unbiased 6; channel 1 holds four 10s and four 20s: mean 15, biased variance 25, unbiased 200/7.
 */
class BatchNorm2dTest {

    private static final float[] BATCH = {
            1, 2, 3, 4, 10, 10, 10, 10,
            5, 6, 7, 8, 20, 20, 20, 20};
    private static final double EPS = 1e-5;

    private NDManager manager;
    private BatchNorm2d bn;
    private NDArray x;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        bn = new BatchNorm2d(2);
        bn.initialize(manager, DataType.FLOAT32, new Shape(2, 2, 2, 2));
        x = manager.create(BATCH, new Shape(2, 2, 2, 2));
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private float[] forward(boolean training) {
        NDArray y = bn.forward(new ParameterStore(manager, false), new NDList(x), training).singletonOrThrow();
        return y.toFloatArray();
    }

    private float[] runningMean() { return bn.runningMean().getArray().toFloatArray(); }

    private float[] runningVar() { return bn.runningVar().getArray().toFloatArray(); }

    private void assertRunningStatsUpdatedOnceFromInitialValues() {
        // PyTorch momentum 0.1: running = 0.9 * running + 0.1 * batch (variance unbiased)
        assertThat(runningMean()[0]).isCloseTo(0.1f * 4.5f, within(1e-6f));
        assertThat(runningMean()[1]).isCloseTo(0.1f * 15f, within(1e-5f));
        assertThat(runningVar()[0]).isCloseTo(0.9f + 0.1f * 6f, within(1e-5f));
        assertThat(runningVar()[1]).isCloseTo((float) (0.9 + 0.1 * 200.0 / 7.0), within(1e-5f));
    }

    private void assertRunningStatsUntouched() {
        assertThat(runningMean()).containsExactly(0f, 0f);
        assertThat(runningVar()).containsExactly(1f, 1f);
    }

    private static void assertNormalisedWithBatchStatistics(float[] y) {
        assertThat(y[0]).isCloseTo((float) ((1 - 4.5) / Math.sqrt(5.25 + EPS)), within(1e-5f));
        assertThat(y[12]).isCloseTo((float) ((20 - 15) / Math.sqrt(25 + EPS)), within(1e-5f));
    }

    private static void assertNormalisedWithInitialRunningStatistics(float[] y) {
        assertThat(y[0]).isCloseTo((float) (1 / Math.sqrt(1 + EPS)), within(1e-5f));
        assertThat(y[12]).isCloseTo((float) (20 / Math.sqrt(1 + EPS)), within(1e-4f));
    }

    @Test
    void parametersAreInitialisedLikePyTorch() {
        assertThat(bn.gamma().getArray().toFloatArray()).containsExactly(1f, 1f);
        assertThat(bn.beta().getArray().toFloatArray()).containsExactly(0f, 0f);
        assertRunningStatsUntouched();
        assertThat(bn.runningMean().requiresGradient()).isFalse();
        assertThat(bn.runningVar().requiresGradient()).isFalse();
        assertThat(bn.gamma().requiresGradient()).isTrue();
    }

    @Test
    void followInTrainingUsesBatchStatisticsAndUpdatesRunningStatsWithMomentumPointOne() {
        assertNormalisedWithBatchStatistics(forward(true));
        assertRunningStatsUpdatedOnceFromInitialValues();
    }

    @Test
    void followInInferenceUsesRunningStatistics() {
        assertNormalisedWithInitialRunningStatistics(forward(false));
        assertRunningStatsUntouched();
    }

    @Test
    void evalIgnoresATrainingForward() {
        bn.setMode(BatchNormMode.EVAL);
        assertNormalisedWithInitialRunningStatistics(forward(true));
        assertRunningStatsUntouched();
    }

    @Test
    void trainForcesBatchStatisticsInAnInferenceForward() {
        bn.setMode(BatchNormMode.TRAIN);
        assertNormalisedWithBatchStatistics(forward(false));
        assertRunningStatsUpdatedOnceFromInitialValues();
    }

    @Test
    void gammaAndBetaScaleAndShift() {
        bn.gamma().getArray().set(new float[] {2, 3});
        bn.beta().getArray().set(new float[] {-1, 0.5f});
        float[] y = forward(false);
        assertThat(y[0]).isCloseTo((float) (2 * 1 / Math.sqrt(1 + EPS) - 1), within(1e-5f));
        assertThat(y[4]).isCloseTo((float) (3 * 10 / Math.sqrt(1 + EPS) + 0.5), within(1e-4f));
    }

    @Test
    void zeroInitGammaStartsAtZero() {
        BatchNorm2d zero = new BatchNorm2d(3);
        zero.zeroInitGamma();
        zero.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 1, 1));
        assertThat(zero.gamma().getArray().toFloatArray()).containsExactly(0f, 0f, 0f);
    }
}
