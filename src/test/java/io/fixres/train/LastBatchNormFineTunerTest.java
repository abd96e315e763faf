package io.fixres.train;

import io.fixres.core.BatchNormMode;
import io.fixres.testing.TinyData;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.nn.Parameter;
import io.fixres.data.DataSplits;
import io.fixres.model.CardTransforms;
import io.fixres.model.BatchNorm2d;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import io.fixres.core.LastBatchNormMode;
import io.fixres.train.LastBatchNormFineTuner.FineTuneAugmentation;
import io.fixres.transform.FloatImage;
import io.fixres.transform.Pipelines;
import io.fixres.transform.Transform;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LastBatchNormFineTunerTest {
    private static final int K = 20;
    private static final DataSplits DATA = TinyData.splits(64, 24);

    private Model model;
    private ResNet net;
    private ModelCard card;
    private String lastBn;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(7);
        model = Model.newInstance("fixres-test");
        net = TinyData.network(model);
        card = TinyData.card(net);
        lastBn = net.lastBatchNormName();
        // Give every BN non-default running statistics, as a trained network has, so "unchanged" means something.
        try (NDManager batch = model.getNDManager().newSubManager()) {
            net.forward(new ParameterStore(batch, false), new NDList(batch.randomNormal(new Shape(8, 1, 16, 16))), true);
        }
    }

    @AfterEach
    void tearDown() {
        model.close();
    }

    private static SgdConfig sgd(int epochs) {
        return new SgdConfig(epochs, 16, 0.05f, 0.9f, 1e-4f, LearningRateSchedule.STEP, 11, 2);
    }

    private LastBatchNormFineTuner.Result fineTune(LastBatchNormMode bn, FineTuneAugmentation da, int epochs) {
        return LastBatchNormFineTuner.run(net, model.getNDManager(), card, DATA,
                new LastBatchNormFineTuner.Request(K, bn, da, sgd(epochs)), TrainingProgress.NONE, null);
    }

    private Map<String, float[]> snapshot() {
        Map<String, float[]> values = new LinkedHashMap<>();
        net.stateDict().forEach((key, p) -> values.put(key, p.getArray().toFloatArray()));
        return values;
    }

    private Map<String, Boolean> trainability() {
        Map<String, Boolean> flags = new LinkedHashMap<>();
        net.stateDict().forEach((key, p) -> flags.put(key, p.requiresGradient()));
        return flags;
    }

    /** Asserts that exactly the entries in {@code moving} changed; every other entry is bit-identical. */
    private void assertOnlyChanged(Map<String, float[]> before, String... moving) {
        java.util.Set<String> changes = java.util.Set.of(moving);
        Map<String, float[]> after = snapshot();
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
        after.forEach((key, value) -> {
            if (changes.contains(key)) {
                assertThat(value).as(key + " should have changed").isNotEqualTo(before.get(key));
            } else {
                assertThat(value).as(key + " should be bit-identical").isEqualTo(before.get(key));
            }
        });
    }

    @Test
    void statsModeTrainsTheClassifierAndReestimatesOnlyTheLastBatchNormStatistics() {
        Map<String, float[]> before = snapshot();
        Map<String, Boolean> trainable = trainability();
        fineTune(LastBatchNormMode.STATS, FineTuneAugmentation.TEST, 1);
        // gamma/beta of the last BN and every other BN's statistics stay as they were
        assertOnlyChanged(before, "fc.weight", "fc.bias", lastBn + ".running_mean", lastBn + ".running_var");
        assertThat(trainability()).isEqualTo(trainable);
        assertThat(net.batchNorms().values()).extracting(BatchNorm2d::getMode).containsOnly(BatchNormMode.FOLLOW);
    }

    @Test
    void noneModeTrainsOnlyTheClassifier() {
        Map<String, float[]> before = snapshot();
        fineTune(LastBatchNormMode.NONE, FineTuneAugmentation.TRAIN, 1);
        assertOnlyChanged(before, "fc.weight", "fc.bias");
        assertThat(net.batchNorms().values()).extracting(BatchNorm2d::getMode).containsOnly(BatchNormMode.FOLLOW);
    }

    @Test
    void affineModeAlsoTrainsTheLastBatchNormGammaAndBeta() {
        Map<String, float[]> before = snapshot();
        Map<String, Boolean> trainable = trainability();
        fineTune(LastBatchNormMode.AFFINE, FineTuneAugmentation.TEST2, 1);
        assertOnlyChanged(before, "fc.weight", "fc.bias", lastBn + ".weight", lastBn + ".bias",
                lastBn + ".running_mean", lastBn + ".running_var");
        assertThat(trainability()).isEqualTo(trainable);
        // running statistics never become trainable
        net.stateDict().values().stream()
                .filter(p -> p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR)
                .forEach(p -> assertThat(p.requiresGradient()).isFalse());
    }

    @Test
    void resultCarriesAccuraciesAtKHistoryAndAnUpdatedCopyOfTheCard() {
        int fineTuningsBefore = card.getFineTunings().size();
        LastBatchNormFineTuner.Result result = fineTune(LastBatchNormMode.STATS, FineTuneAugmentation.TEST, 2);
        assertThat(result.before().testResolution()).isEqualTo(K);
        assertThat(result.after().testResolution()).isEqualTo(K);
        assertThat(result.before().images()).isEqualTo(24);
        assertThat(result.after().images()).isEqualTo(24);
        assertThat(result.history()).extracting(EpochMetrics::epoch).containsExactly(1, 2);
        // 64 images, batch 16: 4 full batches per epoch
        assertThat(result.history()).extracting(EpochMetrics::images).containsExactly(64L, 64L);

        ModelCard tuned = result.card();
        assertThat(tuned).isNotSameAs(card);
        assertThat(card.getFineTunings()).hasSize(fineTuningsBefore);
        assertThat(card.getRecommendedTestResolution()).isNull();
        assertThat(tuned.getRecommendedTestResolution()).isEqualTo(K);
        assertThat(tuned.getFineTunings()).containsExactly(new ModelCard.FineTuning(K, "stats", "test", 2, 0.05f,
                result.before().top1(), result.after().top1()));
        tuned.validate("fine-tuned card");
        tuned.checkDescribes(net, "fine-tuned card");
    }

    @Test
    void knownAccuracyBeforeIsUsedAsIsButMustBeAtK() {
        var known = new io.fixres.eval.ResolutionAccuracy(K, 12.5, 50.0, 24);
        LastBatchNormFineTuner.Result result = LastBatchNormFineTuner.run(net, model.getNDManager(), card, DATA,
                new LastBatchNormFineTuner.Request(K, LastBatchNormMode.NONE, FineTuneAugmentation.TEST, sgd(1)),
                TrainingProgress.NONE, known);
        assertThat(result.before()).isSameAs(known);
        assertThatThrownBy(() -> LastBatchNormFineTuner.run(net, model.getNDManager(), card, DATA,
                new LastBatchNormFineTuner.Request(K, LastBatchNormMode.NONE, FineTuneAugmentation.TEST, sgd(1)),
                TrainingProgress.NONE, new io.fixres.eval.ResolutionAccuracy(16, 1, 1, 24)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at 16 px, not at the fine-tuning resolution 20 px");
    }

    @Test
    void resolutionBelowTheNetworksMinimumIsRefusedBeforeAnythingChanges() {
        int tooSmall = net.minimumUsefulResolution() - 1;
        Map<String, float[]> before = snapshot();
        assertThatThrownBy(() -> LastBatchNormFineTuner.run(net, model.getNDManager(), card, DATA,
                new LastBatchNormFineTuner.Request(tooSmall, LastBatchNormMode.STATS, FineTuneAugmentation.TEST, sgd(1)),
                TrainingProgress.NONE, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input resolution " + tooSmall + " px is below the minimum "
                        + net.minimumUsefulResolution() + " px");
        assertOnlyChanged(before);
        assertThat(net.batchNorms().values()).extracting(BatchNorm2d::getMode).containsOnly(BatchNormMode.FOLLOW);
    }

    @Test
    void modesAndAugmentationsHaveTheirJsonAndCommandLineIds() throws Exception {
        assertThat(LastBatchNormMode.NONE.id()).isEqualTo("none");
        assertThat(LastBatchNormMode.AFFINE).hasToString("affine");
        assertThat(FineTuneAugmentation.TRAIN.id()).isEqualTo("train");
        assertThat(io.fixres.io.Json.toString(java.util.List.of(LastBatchNormMode.STATS, FineTuneAugmentation.TEST2)))
                .isEqualToIgnoringWhitespace("[\"stats\", \"test2\"]");
    }

    @Test
    void augmentationsAreTheCardsPipelinesAtK() {
        FloatImage image = new FloatImage(1, 28, 28, noise(28 * 28));
        // TEST is exactly the card's test transform: deterministic, K x K
        Transform test = FineTuneAugmentation.TEST.pipeline(card, 24);
        assertThat(test.apply(image, new SplittableRandom(1)).data())
                .containsExactly(CardTransforms.test(card, 24).apply(image, new SplittableRandom(2)).data());
        // TRAIN is the card's training DA (rrc here) and TEST2 the v2 pipeline, both K x K and random
        for (FineTuneAugmentation da : new FineTuneAugmentation[] {FineTuneAugmentation.TRAIN, FineTuneAugmentation.TEST2}) {
            Transform t = da.pipeline(card, 24);
            FloatImage a = t.apply(image, new SplittableRandom(1));
            assertThat(a.height()).as(da.id()).isEqualTo(24);
            assertThat(a.width()).as(da.id()).isEqualTo(24);
            assertThat(a.data()).as(da.id()).containsExactly(
                    da == FineTuneAugmentation.TRAIN
                            ? Pipelines.trainDA(24, TinyData.NORMALIZATION, Pipelines.PAPER_JITTER)
                                    .apply(image, new SplittableRandom(1)).data()
                            : Pipelines.testDA2(24, 0.875, TinyData.NORMALIZATION).apply(image, new SplittableRandom(1)).data());
        }
        card.setTrainAugmentation(io.fixres.transform.TrainAugmentation.RESIZE_CROP);
        assertThat(FineTuneAugmentation.TRAIN.pipeline(card, 24).apply(image, new SplittableRandom(3)).data())
                .containsExactly(Pipelines.resizeRandomCrop(24, TinyData.NORMALIZATION, Pipelines.PAPER_JITTER)
                        .apply(image, new SplittableRandom(3)).data());
    }

    private static float[] noise(int n) {
        SplittableRandom random = new SplittableRandom(4);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextDouble();
        }
        return values;
    }
}
