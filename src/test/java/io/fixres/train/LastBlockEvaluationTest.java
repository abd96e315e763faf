package io.fixres.train;

import java.util.List;

import io.fixres.activation.AdaptationHooks;

import io.fixres.core.ActivationHook;

import ai.djl.ndarray.NDArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.fixres.core.LastBatchNormMode;
import io.fixres.data.DataSplits;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.eval.ResolutionEvaluation;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import io.fixres.testing.TinyData;
import io.fixres.train.LastBatchNormFineTuner.FineTuneAugmentation;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The accuracy after a fine-tuning read from the kept last-block activations is the accuracy a
 * forward pass of the fine-tuned network measures, image by image, for every method that changes
 * only the last BatchNorm and the classifier.
 */
class LastBlockEvaluationTest {
    private static final int K = 20;
    private static final DataSplits DATA = TinyData.splits(40, 24);
    private static final long BUDGET = 64L << 20;

    /** The tiny network with non-default running statistics everywhere, as a trained network has; same weights every call. */
    private static ResNet network(Model model) {
        Engine.getInstance().setRandomSeed(11);
        ResNet net = TinyData.network(model);
        try (NDManager batch = model.getNDManager().newSubManager()) {
            net.forward(new ParameterStore(batch, false), new NDList(batch.randomNormal(new Shape(8, 1, 16, 16))), true);
        }
        return net;
    }

    private static ResolutionAccuracy evaluate(ResNet net, ModelCard card, Model model) {
        return new ResolutionEvaluation(net, card, model.getNDManager(), 256, 1)
                .at(DATA.test(), K, card.getTestCropRatio(), n -> { });
    }

    private static void assertSameImages(ResolutionAccuracy actual, ResolutionAccuracy expected) {
        assertThat(actual.top1()).isEqualTo(expected.top1());
        assertThat(actual.top5()).isEqualTo(expected.top5());
        assertThat(actual.images()).isEqualTo(expected.images());
        assertThat(actual.outcomes()).isEqualTo(expected.outcomes());
    }

    private static void checkMethod(FixResMethod method, LastBatchNormMode bn) {
        try (Model model = Model.newInstance("last-block")) {
            ResNet net = network(model);
            ModelCard card = TinyData.card(net);
            ResolutionAccuracy direct = evaluate(net, card, model);
            LastBlockEvaluation kept = LastBlockEvaluation.measure(net, model.getNDManager(), card, DATA.test(), K, 8, 1,
                    BUDGET, TrainingProgress.NONE);
            assertThat(kept.complete()).isTrue();
            assertSameImages(kept.untouched(), direct);

            float[] gammaBefore = net.lastBatchNorm().gamma().getArray().toFloatArray();
            float[] meanBefore = net.lastBatchNorm().runningMean().getArray().toFloatArray();
            float[] fcBefore = net.classifierParameters().get(0).getArray().toFloatArray();
            var request = new LastBatchNormFineTuner.Request(K, bn, FineTuneAugmentation.TEST,
                    new SgdConfig(2, 16, 0.5f, 0.9f, 1e-4f, LearningRateSchedule.CONSTANT, 3, 1));
            method.adapt(net, model.getNDManager(), card, DATA.train(), request, TrainingProgress.NONE);
            assertThat(net.lastBatchNorm().runningMean().getArray().toFloatArray()).as("the last BN's statistics moved")
                    .isNotEqualTo(meanBefore);
            if (method != FixResMethod.RECALIBRATE_LAST) {
                assertThat(net.classifierParameters().get(0).getArray().toFloatArray()).as("the classifier moved")
                        .isNotEqualTo(fcBefore);
            }
            if (bn == LastBatchNormMode.AFFINE) {
                assertThat(net.lastBatchNorm().gamma().getArray().toFloatArray()).as("gamma moved").isNotEqualTo(gammaBefore);
            }
            assertSameImages(kept.after(net), evaluate(net, card, model));
        }
    }

    @Test
    void theFixResStepOnBatchStatisticsIsMeasuredAsAForwardPassWould() {
        checkMethod(FixResMethod.SGD, LastBatchNormMode.STATS);
    }

    @Test
    void aStepThatAlsoTrainsGammaAndBetaIsMeasuredAsAForwardPassWould() {
        checkMethod(FixResMethod.SGD, LastBatchNormMode.AFFINE);
    }

    @Test
    void theOnePassStepAndTheLastBatchNormRecalibrationAreMeasuredAsAForwardPassWould() {
        checkMethod(FixResMethod.CACHED, LastBatchNormMode.STATS);
        checkMethod(FixResMethod.RECALIBRATE_LAST, LastBatchNormMode.STATS);
    }

    @Test
    void anAdaptedNetworkIsMeasuredFromTheKeptActivationsAsAForwardPassWould() {
        // Table 4's rows: a pre-ReLU map (A.2), a pooled map (A.1), both, and a fine-tuning with the map in place
        ActivationHook preReLU = new ActivationHook() {
            @Override
            public NDArray preReLU(NDArray activations) {
                return activations.mul(-1f).add(0.5f);
            }
        };
        ActivationHook pooled = AdaptationHooks.pooledAffine(1.3f, -0.05f);
        try (Model model = Model.newInstance("last-block")) {
            ResNet net = network(model);
            ModelCard card = TinyData.card(net);
            LastBlockEvaluation kept = LastBlockEvaluation.measure(net, model.getNDManager(), card, DATA.test(), K, 8, 1,
                    BUDGET, TrainingProgress.NONE);
            for (ActivationHook hook : List.of(preReLU, pooled, AdaptationHooks.chain(preReLU, pooled))) {
                net.setActivationHook(hook);
                assertSameImages(kept.after(net, model.getNDManager()), evaluate(net, card, model));
            }
            // a map that reverses the classifier's ranking: the kept activations go through it, or this fails
            net.setActivationHook(AdaptationHooks.pooledAffine(-50f, 0f));
            ResolutionAccuracy reversed = kept.after(net, model.getNDManager());
            assertSameImages(reversed, evaluate(net, card, model));
            assertThat(reversed.outcomes()).isNotEqualTo(kept.untouched().outcomes());
            net.setActivationHook(preReLU);
            var request = new LastBatchNormFineTuner.Request(K, LastBatchNormMode.NONE, FineTuneAugmentation.TEST,
                    new SgdConfig(2, 16, 0.5f, 0.9f, 1e-4f, LearningRateSchedule.CONSTANT, 3, 1));
            FixResMethod.SGD.adapt(net, model.getNDManager(), card, DATA.train(), request, TrainingProgress.NONE);
            assertSameImages(kept.after(net, model.getNDManager()), evaluate(net, card, model));
            assertThatThrownBy(() -> kept.after(net)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("activation hook");
        }
    }

    @Test
    void onlyTheRecalibrationOfEveryBatchNormNeedsItsOwnPass() {
        assertThat(Arrays.stream(FixResMethod.values()).filter(m -> !m.changesOnlyLastBatchNormAndClassifier()))
                .containsExactly(FixResMethod.RECALIBRATE_ALL);
    }

    @Test
    void activationsBeyondTheBudgetAreNotKeptAndSaySo() {
        try (Model model = Model.newInstance("last-block")) {
            ResNet net = network(model);
            ModelCard card = TinyData.card(net);
            LastBlockEvaluation kept = LastBlockEvaluation.measure(net, model.getNDManager(), card, DATA.test(), K, 8, 1,
                    1024, TrainingProgress.NONE);
            assertThat(kept.complete()).isFalse();
            assertSameImages(kept.untouched(), evaluate(net, card, model));
            assertThatThrownBy(() -> kept.after(net)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("were not kept");
        }
    }
}
