package io.fixres.core;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.fixres.data.DataSplits;
import io.fixres.model.BatchNorm2d;
import io.fixres.model.ConvLayer;
import io.fixres.model.LinearLayer;
import io.fixres.model.ModelCard;
import io.fixres.testing.TinyData;
import io.fixres.train.LastBatchNormFineTuner;
import io.fixres.train.LastBatchNormFineTuner.FineTuneAugmentation;
import io.fixres.train.LearningRateSchedule;
import io.fixres.train.SgdConfig;
import io.fixres.train.TrainingProgress;
import io.fixres.transform.TrainAugmentation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The FixRes step works on any DJL block that implements {@link FixResNetwork}, not only fixres's
 * ResNet: a two-layer convolutional classifier written here is fine-tuned by the library's
 * fine-tuner, and exactly the classifier and the last BatchNorm's running statistics change.
 */
class NonResNetFineTuningTest {

    /** conv 3x3 (1 -> 8) -> BatchNorm -> [preReLU tap] ReLU -> conv 3x3 stride 2 (8 -> 8) -> BatchNorm -> ReLU -> mean -> [pooled tap] fc. */
    static final class TwoConvNet extends AbstractBlock implements FixResNetwork {
        final ConvLayer conv1 = addChildBlock("conv1", new ConvLayer(1, 8, 3, 1, 1));
        final BatchNorm2d bn1 = addChildBlock("bn1", new BatchNorm2d(8));
        final ConvLayer conv2 = addChildBlock("conv2", new ConvLayer(8, 8, 3, 2, 1));
        final BatchNorm2d bn2 = addChildBlock("bn2", new BatchNorm2d(8));
        final LinearLayer fc = addChildBlock("fc", new LinearLayer(8, TinyData.CLASSES));
        private ActivationHook hook = ActivationHook.IDENTITY;

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                         PairList<String, Object> params) {
            NDArray x = conv1.forward(store, inputs, training).singletonOrThrow();
            x = Activation.relu(bn1.forward(store, new NDList(x), training).singletonOrThrow());
            x = conv2.forward(store, new NDList(x), training).singletonOrThrow();
            x = Activation.relu(hook.preReLU(bn2.forward(store, new NDList(x), training).singletonOrThrow()));
            NDArray pooled = hook.pooled(Pool.globalAvgPool2d(x));
            return fc.forward(store, new NDList(pooled), training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), TinyData.CLASSES)};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape s = inputShapes[0];
            conv1.initialize(manager, dataType, s);
            s = conv1.getOutputShapes(new Shape[] {s})[0];
            bn1.initialize(manager, dataType, s);
            conv2.initialize(manager, dataType, s);
            s = conv2.getOutputShapes(new Shape[] {s})[0];
            bn2.initialize(manager, dataType, s);
            fc.initialize(manager, dataType, new Shape(s.get(0), 8));
        }

        @Override public TwoConvNet block() { return this; }
        @Override public int numClasses() { return TinyData.CLASSES; }
        @Override public int inputChannels() { return 1; }
        @Override public List<Parameter> classifierParameters() { return List.of(fc.weight(), fc.bias()); }
        @Override public LinearLayer classifier() { return fc; }
        @Override public SwitchableBatchNorm lastBatchNorm() { return bn2; }
        @Override public List<SwitchableBatchNorm> allBatchNorms() { return List.of(bn1, bn2); }
        @Override public ActivationHook getActivationHook() { return hook; }
        @Override public void setActivationHook(ActivationHook hook) { this.hook = hook; }
        @Override public int minimumUsefulResolution() { return 2; }

        @Override
        public void checkResolution(int resolution) {
            if (resolution < 2) {
                throw new IllegalArgumentException("input resolution " + resolution + " px is below the minimum 2 px");
            }
        }
    }

    @Test
    void theFineTunerTrainsOnlyTheClassifierAndTheLastBatchNormStatisticsOfAnyFixResNetwork() {
        Engine.getInstance().setRandomSeed(5);
        DataSplits data = TinyData.splits(64, 24);
        try (NDManager manager = NDManager.newBaseManager()) {
            TwoConvNet net = new TwoConvNet();
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 16, 16));
            Map<String, float[]> before = snapshot(net);
            ModelCard card = new ModelCard();
            card.setMean(new double[] {0.3});
            card.setStd(new double[] {0.3});
            card.setTrainResolution(16);
            card.setTrainAugmentation(TrainAugmentation.RRC);

            LastBatchNormFineTuner.Result result = LastBatchNormFineTuner.run(net, manager, card, data,
                    new LastBatchNormFineTuner.Request(20, LastBatchNormMode.STATS, FineTuneAugmentation.TEST,
                            new SgdConfig(2, 16, 0.05f, 0.9f, 1e-4f, LearningRateSchedule.STEP, 3, 1)),
                    TrainingProgress.NONE, null);

            Map<String, float[]> after = snapshot(net);
            List<String> changed = before.keySet().stream()
                    .filter(k -> !java.util.Arrays.equals(before.get(k), after.get(k))).toList();
            assertThat(changed).containsExactlyInAnyOrder("04bn2_running_mean", "04bn2_running_var", "05fc_weight", "05fc_bias");
            assertThat(result.history()).hasSize(2);
            assertThat(result.after().images()).isEqualTo(24);
            assertThat(result.card().getRecommendedTestResolution()).isEqualTo(20);
            assertThat(List.of(net.bn1.getMode(), net.bn2.getMode())).containsOnly(BatchNormMode.FOLLOW);
            assertThat(net.conv1.getParameters().values()).allMatch(Parameter::requiresGradient);
        }
    }

    private static Map<String, float[]> snapshot(TwoConvNet net) {
        Map<String, float[]> values = new LinkedHashMap<>();
        net.getParameters().forEach(p -> values.put(p.getKey(), p.getValue().getArray().toFloatArray()));
        return values;
    }
}
