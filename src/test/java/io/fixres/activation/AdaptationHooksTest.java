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
import io.fixres.data.ImageDataset;
import io.fixres.core.ActivationHook;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import io.fixres.stats.FrechetFit;
import io.fixres.stats.FrechetFitResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdaptationHooksTest {
    private NDManager manager;
    private ResNet net;
    private ModelCard card;
    private ActivationMeasurement measurement;
    private final ImageDataset images = TinyModels.images(30, 2);

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(7);
        manager = NDManager.newBaseManager();
        net = TinyModels.net(manager);
        card = TinyModels.card(net);
        measurement = new ActivationMeasurement(net, card, manager, 16, 1).seed(1);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void frechetHookMapsNonZeroPooledFeaturesAndKeepsZeros() {
        NDArray features = manager.create(new float[] {0, 1, 2, 3, 0, -1}, new Shape(2, 3));
        NDArray mapped = AdaptationHooks.pooledAffine(2f, 0.5f).pooled(features);
        assertThat(mapped.getShape()).isEqualTo(new Shape(2, 3));
        assertThat(mapped.toFloatArray()).containsExactly(0f, 2.5f, 4.5f, 6.5f, 0f, -1.5f);
        NDArray pre = manager.create(new float[] {-1, 2}, new Shape(1, 2, 1, 1));
        assertThat(AdaptationHooks.pooledAffine(2f, 0.5f).preReLU(pre)).isSameAs(pre);
    }

    @Test
    void gaussianHookMapsEachChannelAffinely() {
        // (N=1, C=2, H=1, W=2): channel 0 {1, 2} -> x * 2 + 1, channel 1 {3, 4} -> x * -1 + 0.5
        NDArray pre = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 2, 1, 2));
        ActivationHook hook = AdaptationHooks.channelAffine(new float[] {2, -1}, new float[] {1, 0.5f});
        assertThat(hook.preReLU(pre).toFloatArray()).containsExactly(3f, 5f, -2.5f, -3.5f);
        assertThatThrownBy(() -> hook.preReLU(manager.zeros(new Shape(1, 3, 2, 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 2 channels").hasMessageContaining("(1, 3, 2, 2)");
    }

    @Test
    void gaussianAdaptationMakesTheTestMomentsEqualTheReferenceOnes() {
        ActivationMeasurement.Measured reference = measurement.measure(images, 16, n -> { });
        ActivationMeasurement.Measured measured = measurement.measure(images, 24, n -> { });
        double[] refMean = reference.preReLU().mean();
        double[] refStd = reference.preReLU().std();
        double largestGap = 0;
        for (int ch = 0; ch < refMean.length; ch++) {
            largestGap = Math.max(largestGap, Math.abs(measured.preReLU().std()[ch] - refStd[ch]));
        }
        assertThat(largestGap).as("the two resolutions differ before adaptation").isGreaterThan(0.01);

        AdaptationRecord record = AdaptationRecord.gaussian(16, 24, reference.preReLU(), measured.preReLU(), images.size());
        net.setActivationHook(record.hook());
        ActivationMeasurement.Measured adapted = measurement.measure(images, 24, n -> { });
        for (int ch = 0; ch < refMean.length; ch++) {
            double tolerance = 1e-4 * Math.max(1, Math.abs(refMean[ch]) + refStd[ch]);
            assertThat(adapted.preReLU().mean()[ch]).as("mean %d", ch).isCloseTo(refMean[ch], within(tolerance));
            assertThat(adapted.preReLU().std()[ch]).as("std %d", ch).isCloseTo(refStd[ch], within(tolerance));
        }
    }

    @Test
    void aRememberedMeasurementIsReadInsteadOfAPassButNotThroughAnInstalledHook() {
        Map<Integer, ActivationMeasurement.Measured> memo = new HashMap<>();
        ActivationMeasurement.Measured first = measurement.remembering(memo).measure(images, 24, n -> { });
        assertThat(memo).containsOnlyKeys(24).containsValue(first);

        // another measurement of the same weights (reproduce's next stage loads them afresh) reads it
        long[] reported = {0};
        ActivationMeasurement.Measured again = new ActivationMeasurement(net, card, manager, 16, 1).seed(1)
                .remembering(memo).measure(images, 24, n -> reported[0] += n);
        assertThat(again).isSameAs(first);
        assertThat(reported[0]).isEqualTo(images.size());

        // an adapted network is measured, and its statistics are not remembered as the network's
        net.setActivationHook(AdaptationHooks.pooledAffine(2f, 0.5f));
        ActivationMeasurement.Measured adapted = measurement.measure(images, 24, n -> { });
        assertThat(adapted).isNotSameAs(first);
        assertThat(adapted.pooled().nonZeroSample()).isNotEqualTo(first.pooled().nonZeroSample());
        assertThat(memo.get(24)).isSameAs(first);
    }

    @Test
    void frechetAdaptationMakesTheTestFitEqualTheReferenceOne() {
        FrechetFit fitter = FrechetFit.builder().build();
        FrechetFitResult reference = measurement.measure(images, 16, n -> { }).pooled().fit(fitter);
        ActivationMeasurement.Measured measured = measurement.measure(images, 24, n -> { });
        FrechetFitResult atTest = measured.pooled().fit(fitter);
        assertThat(Math.abs(atTest.mu() - reference.mu()) + Math.abs(atTest.sigma() - reference.sigma()))
                .as("the fits differ before adaptation").isGreaterThan(0.01);

        net.setActivationHook(AdaptationRecord.frechet(16, 24, reference, atTest, images.size()).hook());
        ActivationMeasurement.Measured adapted = measurement.measure(images, 24, n -> { });
        FrechetFitResult after = adapted.pooled().fit(fitter);
        assertThat(adapted.pooled().zeros()).as("zeros stay zero").isEqualTo(measured.pooled().zeros());
        assertThat(after.mu()).isCloseTo(reference.mu(), within(1e-4 * (1 + Math.abs(reference.mu()))));
        assertThat(after.sigma()).isCloseTo(reference.sigma(), within(1e-4 * reference.sigma()));
    }

    @Test
    void fromCardReinstallsTheRecordedAdaptationsInOrder() throws Exception {
        assertThat(AdaptationHooks.fromCard(card)).isSameAs(ActivationHook.IDENTITY);
        int c = net.featureDim();
        double[] scale = new double[c];
        double[] shift = new double[c];
        for (int ch = 0; ch < c; ch++) {
            scale[ch] = 0.5 + ch / 10.0;
            shift[ch] = ch % 3 - 1;
        }
        AdaptationRecord gaussian = new AdaptationRecord(AdaptationMethod.GAUSSIAN, 16, 24, scale, shift, 30, null, null, null);
        AdaptationRecord frechet = new AdaptationRecord(AdaptationMethod.FRECHET, 16, 24, new double[] {1.5}, new double[] {-0.25}, 30,
                new AdaptationRecord.FrechetParameters(0.3, 1, 2, 3, 4, false), 50.0, 60.0);
        card.setAdaptations(new ArrayList<>(List.of(gaussian.toCardEntry(), frechet.toCardEntry())));
        ModelCard reread = ModelCard.fromJson(card.toJson());
        assertThat(reread.getAdaptations().get(1)).containsEntry("method", "frechet")
                .containsEntry("reference_resolution", 16).containsEntry("test_resolution", 24)
                .containsEntry("accuracy_after", 60.0);
        List<AdaptationRecord> records = AdaptationHooks.records(reread);
        assertThat(records.get(0).scale()).containsExactly(scale);
        assertThat(records.get(1).frechet()).isEqualTo(frechet.frechet());

        NDArray x = manager.randomUniform(0, 1, new Shape(2, 1, 24, 24));
        net.setActivationHook(AdaptationHooks.fromCard(reread));
        float[] fromCard = logits(x);
        net.setActivationHook(AdaptationHooks.chain(gaussian.hook(), frechet.hook()));
        float[] expected = logits(x);
        net.setActivationHook(ActivationHook.IDENTITY);
        assertThat(fromCard).containsExactly(expected);
        assertThat(logits(x)).isNotEqualTo(expected);
    }

    @Test
    void malformedCardEntriesAreNamed() {
        Map<String, Object> entry = new LinkedHashMap<>(
                new AdaptationRecord(AdaptationMethod.FRECHET, 16, 24, new double[] {1}, new double[] {0}, 1, null, null, null).toCardEntry());
        entry.put("method", "bogus");
        card.setAdaptations(new ArrayList<>(List.of(entry)));
        assertThatThrownBy(() -> AdaptationHooks.fromCard(card))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("adaptations[0]").hasMessageContaining("bogus");
        entry.put("method", "frechet");
        entry.put("scale", List.of(1.0, 2.0));
        entry.put("shift", List.of(0.0, 0.0));
        assertThatThrownBy(() -> AdaptationHooks.fromCard(card))
                .hasMessageContaining("adaptations[0]").hasMessageContaining("one scale and one shift");
    }

    private float[] logits(NDArray x) {
        return net.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow().toFloatArray();
    }
}
