package io.fixres.model;

import io.fixres.core.BatchNormMode;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

/** The ResNet inside a DJL {@link Model} and {@link Trainer}, as the training loops use it. */
class DjlModelTest {

    private NDManager manager;
    private Model model;
    private ResNet net;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(5);
        manager = NDManager.newBaseManager();
        net = ResNet.builder().architecture("resnet-small").numClasses(10).inputChannels(1).build();
        net.initialize(manager, 16);
        model = Model.newInstance("fixres");
        model.setBlock(net);
    }

    @AfterEach
    void tearDown() {
        model.close();
        manager.close();
    }

    private Trainer newTrainer() {
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                // would zero every weight if the trainer re-initialised them
                .optInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT)
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.5f)).build());
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(new Shape(4, 1, 16, 16));
        return trainer;
    }

    private void trainOneStep(Trainer trainer) {
        try (NDManager batch = manager.newSubManager()) {
            NDArray x = batch.randomNormal(new Shape(4, 1, 16, 16));
            NDArray labels = batch.create(new float[] {0, 1, 2, 3});
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                collector.backward(trainer.getLoss().evaluate(new NDList(labels), new NDList(logits)));
            }
            trainer.step();
        }
    }

    private Map<String, float[]> snapshot() {
        Map<String, float[]> values = new LinkedHashMap<>();
        net.stateDict().forEach((key, p) -> values.put(key, p.getArray().toFloatArray()));
        return values;
    }

    @Test
    void initialisedParametersSurviveNewTrainerAndEveryTrainableTensorLearns() {
        Map<String, float[]> before = snapshot();
        try (Trainer trainer = newTrainer()) {
            snapshot().forEach((key, value) -> assertThat(value).as(key).isEqualTo(before.get(key)));
            trainOneStep(trainer);
        }
        // FOLLOW + a training forward: everything moves, running statistics included
        snapshot().forEach((key, value) -> assertThat(value).as(key).isNotEqualTo(before.get(key)));
    }

    @Test
    void fixResSetupTrainsOnlyTheClassifierAndUpdatesOnlyTheLastBatchNorm() {
        net.freezeParameters(true);
        net.classifierParameters().forEach(p -> p.freeze(false));
        net.setAllBatchNormModes(BatchNormMode.EVAL);
        net.lastBatchNorm().setMode(BatchNormMode.TRAIN);
        Map<String, float[]> before = snapshot();
        try (Trainer trainer = newTrainer()) {
            trainOneStep(trainer);
        }
        String lastBn = net.lastBatchNormName();
        snapshot().forEach((key, value) -> {
            boolean moves = key.startsWith("fc.") || key.equals(lastBn + ".running_mean")
                    || key.equals(lastBn + ".running_var");
            if (moves) {
                assertThat(value).as(key).isNotEqualTo(before.get(key));
            } else {
                assertThat(value).as(key).isEqualTo(before.get(key));
            }
        });
    }
}
