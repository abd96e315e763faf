package io.fixres.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.fixres.core.BatchNormMode;
import io.fixres.data.ImageDataset;
import io.fixres.data.LabeledImage;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import io.fixres.testing.TinyData;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecalibrationTest {
    private Model model;
    private ResNet net;
    private ModelCard card;

    /** The tiny images with their labels replaced by -1: recalibration must never need one. */
    private static final ImageDataset UNLABELLED = new ImageDataset() {
        private final ImageDataset images = TinyData.splits(30, 1).train();
        @Override public int size() { return images.size(); }
        @Override public List<String> classNames() { return List.of(); }
        @Override public int channels() { return 1; }
        @Override public LabeledImage get(int index) { return new LabeledImage(images.get(index).image(), -1); }
        @Override public String source() { return "unlabelled"; }
    };

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(13);
        model = Model.newInstance("recalibration");
        net = TinyData.network(model);
        card = TinyData.card(net);
        try (NDManager batch = model.getNDManager().newSubManager()) {
            net.forward(new ParameterStore(batch, false), new NDList(batch.randomNormal(new Shape(8, 1, 16, 16))), true);
        }
    }

    @AfterEach
    void tearDown() {
        model.close();
    }

    private Map<String, float[]> snapshot() {
        Map<String, float[]> values = new LinkedHashMap<>();
        net.stateDict().forEach((key, p) -> values.put(key, p.getArray().toFloatArray()));
        return values;
    }

    private List<String> changedSince(Map<String, float[]> before) {
        Map<String, float[]> after = snapshot();
        return before.keySet().stream().filter(k -> !Arrays.equals(before.get(k), after.get(k))).sorted().toList();
    }

    @Test
    void lastReestimatesOnlyTheLastBatchNormWithoutReadingALabel() {
        Map<String, float[]> before = snapshot();
        Recalibration.Result result = Recalibration.run(net, model.getNDManager(), card, UNLABELLED, 24,
                Recalibration.Layers.LAST, 8, 2, TrainingProgress.NONE);
        String last = net.lastBatchNormName();
        assertThat(changedSince(before)).containsExactly(last + ".running_mean", last + ".running_var");
        assertThat(result.batchNorms()).isEqualTo(1);
        assertThat(result.images()).isEqualTo(30);
        ModelCard.FineTuning recorded = result.card().getFineTunings().get(0);
        assertThat(recorded.method()).isEqualTo(ModelCard.FineTuningMethod.RECALIBRATE);
        assertThat(recorded.layers()).isEqualTo("last");
        assertThat(recorded.images()).isEqualTo(30L);
        assertThat(result.card().getRecommendedTestResolution()).isEqualTo(24);
    }

    @Test
    void allReestimatesEveryBatchNormAndNeitherTheClassifierNorAnyWeightOrModeChanges() {
        Map<String, float[]> before = snapshot();
        Recalibration.Result result = Recalibration.run(net, model.getNDManager(), card, UNLABELLED, 24,
                Recalibration.Layers.ALL, 8, 2, TrainingProgress.NONE);
        List<String> expected = net.batchNorms().keySet().stream()
                .flatMap(name -> java.util.stream.Stream.of(name + ".running_mean", name + ".running_var")).sorted().toList();
        assertThat(changedSince(before)).isEqualTo(expected);
        assertThat(result.batchNorms()).isEqualTo(net.batchNorms().size());
        assertThat(net.batchNorms().values()).allMatch(bn -> bn.getMode() == BatchNormMode.FOLLOW);
        assertThat(result.card().getFineTunings().get(0).layers()).isEqualTo("all");
    }
}
