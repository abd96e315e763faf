package io.fixres.train;

import io.fixres.testing.TinyData;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.index.NDIndex;
import io.fixres.data.DataSplits;
import io.fixres.model.ResNet;
import io.fixres.transform.Transform;
import org.junit.jupiter.api.Test;

/** A run whose weights stop being finite stops, naming the tensor, whether or not the loss shows it. */
class SgdRunTest {
    private static final DataSplits DATA = TinyData.splits(32, 8);
    private static final SgdConfig SGD = new SgdConfig(1, 16, 0.01f, 0.9f, 1e-4f, LearningRateSchedule.CONSTANT, 1, 1);

    private static Transform crop16() {
        return io.fixres.transform.Pipelines.testDA(16, 1.0, io.fixres.transform.ResizeMode.SHORTER_SIDE,
                TinyData.NORMALIZATION);
    }

    @Test
    void aNaNWeightMakesTheFirstLossNaNAndTheMessageNamesTheTensorInsteadOfBlamingTheData() {
        Engine.getInstance().setRandomSeed(1);
        try (Model model = Model.newInstance("nan")) {
            ResNet net = TinyData.network(model);
            net.stateDict().get("layer1.1.conv2.weight").getArray().set(new NDIndex("0, 0, 1, 1"), Float.NaN);
            try (SgdRun run = new SgdRun(net, model.getNDManager(), SGD, DATA.train().size())) {
                assertThatThrownBy(() -> run.runEpoch(1, DATA.train(), crop16(), TrainingProgress.NONE))
                        .isInstanceOf(TrainingException.class)
                        .hasMessageStartingWith("loss became NaN at epoch 1, batch 1 (learning rate 0.01000): tensor "
                                + "'layer1.1.conv2.weight' already held NaN or infinite values");
            }
        }
    }

    @Test
    void aNonFiniteTensorThatTheLossDoesNotSeeStopsTheRunAtTheEndOfTheEpoch() {
        Engine.getInstance().setRandomSeed(1);
        try (Model model = Model.newInstance("nan")) {
            ResNet net = TinyData.network(model);
            // in training mode every BN normalises with batch statistics: a NaN running variance leaves the loss finite
            net.stateDict().get("bn1.running_var").getArray().set(new NDIndex("0"), Float.POSITIVE_INFINITY);
            try (SgdRun run = new SgdRun(net, model.getNDManager(), SGD, DATA.train().size())) {
                assertThatThrownBy(() -> run.runEpoch(1, DATA.train(), crop16(), TrainingProgress.NONE))
                        .isInstanceOf(TrainingException.class)
                        .hasMessage("tensor 'bn1.running_var' holds NaN or infinite values after epoch 1 (learning "
                                + "rate 0.01000): an update had a non-finite gradient; nothing was saved");
            }
        }
    }
}
