package io.fixres.study;

import io.fixres.eval.ResolutionAccuracy;
import io.fixres.eval.ResolutionEvaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.fixres.data.ImageDataset;
import io.fixres.data.LabeledImage;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import io.fixres.transform.FloatImage;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResolutionSweepTest {
    private NDManager manager;
    private ResNet net;
    private ModelCard card;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(5);
        manager = NDManager.newBaseManager();
        net = ResNet.builder().architecture("resnet-small").numClasses(10).inputChannels(1).widthMultiplier(0.25).build();
        net.initialize(manager, 28);
        card = card(24);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    static ModelCard card(int trainRes) {
        ModelCard card = new ModelCard();
        card.setArchitecture("resnet-small");
        card.setNumClasses(10);
        card.setInputChannels(1);
        card.setWidthMultiplier(0.25);
        card.setMean(new double[] {0.5});
        card.setStd(new double[] {0.25});
        card.setTrainResolution(trainRes);
        card.setTrainAugmentation(io.fixres.transform.TrainAugmentation.RRC);
        return card;
    }

    /** n 28x28 grey images with a label-dependent diagonal pattern. */
    static ImageDataset images(int n) {
        return new ImageDataset() {
            @Override public int size() { return n; }
            @Override public List<String> classNames() { return List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"); }
            @Override public int channels() { return 1; }
            @Override public String source() { return "memory"; }
            @Override public LabeledImage get(int index) {
                float[] pixels = new float[28 * 28];
                for (int p = 0; p < pixels.length; p++) {
                    pixels[p] = ((p / 28 + p % 28 + 3 * index) % 10) / 9f;
                }
                return new LabeledImage(new FloatImage(1, 28, 28, pixels), index % 10);
            }
        };
    }

    @Test
    void sweepsEveryResolutionWithItsFeatureMapAndReportsProgress() {
        ImageDataset data = images(12);
        AtomicLong done = new AtomicLong();
        ResolutionSweep sweep = new ResolutionSweep(net, card, manager, 5, 1);
        List<Integer> range = ResolutionSweep.range(15, 18, 1);

        SweepResult result = sweep.run(data, range, 0.875, done::addAndGet);

        assertThat(result.label()).isEqualTo("rrc 24px");
        assertThat(result.architecture()).isEqualTo("resnet-small");
        assertThat(result.trainResolution()).isEqualTo(24);
        assertThat(result.points()).extracting(SweepPoint::testResolution).containsExactly(15, 16, 17, 18);
        assertThat(result.points()).extracting(SweepPoint::featureMap).containsExactly(4, 4, 5, 5);
        assertThat(result.points()).extracting(SweepPoint::images).containsOnly(12L);
        assertThat(done.get()).isEqualTo(ResolutionSweep.imagesToEvaluate(data, range)).isEqualTo(48);
        assertThat(result.borderEffects().changePoints()).containsExactly(new BorderEffects.ChangePoint(17, 4, 5));
        assertThat(result.borderEffects().bestAligned().testResolution()).isEqualTo(16);

        // The sweep is ResolutionEvaluation's measurement, point for point.
        ResolutionAccuracy at17 = new ResolutionEvaluation(net, card, manager, 7, 1).at(data, 17, 0.875, n -> { });
        assertThat(result.points().get(2).top1()).isEqualTo(at17.top1());
        assertThat(result.points().get(2).top5()).isEqualTo(at17.top5());
    }

    @Test
    void analysesAccuraciesMeasuredElsewhere() {
        List<ResolutionAccuracy> measured = List.of(new ResolutionAccuracy(20, 90, 99, 10), new ResolutionAccuracy(21, 88, 99, 10));
        SweepResult result = new ResolutionSweep(net, card, manager, 5, 1).analyse(measured, 0.8);
        assertThat(result.cropRatio()).isEqualTo(0.8);
        assertThat(result.points()).extracting(SweepPoint::featureMap).containsExactly(5, 6);
        assertThat(result.borderEffects().drops()).containsExactly(new BorderEffects.Drop(21, 5, 6, 90, 88, 2));
    }

    @Test
    void refusesResolutionsBelowOneStride() {
        ResolutionSweep sweep = new ResolutionSweep(net, card, manager, 5, 1);
        assertThatThrownBy(() -> sweep.run(images(2), List.of(3, 8), 0.875, n -> { }))
                .hasMessageContaining("input resolution 3 px is below the minimum 4 px");
        assertThatThrownBy(() -> sweep.run(images(2), List.of(), 0.875, n -> { })).hasMessageContaining("no resolutions");
    }

    @Test
    void rangeAndLabel() {
        assertThat(ResolutionSweep.range(16, 24, 4)).containsExactly(16, 20, 24);
        assertThat(ResolutionSweep.range(16, 18, 5)).containsExactly(16);
        assertThatThrownBy(() -> ResolutionSweep.range(20, 16, 1)).hasMessageContaining("1 <= from <= to");
        assertThatThrownBy(() -> ResolutionSweep.range(16, 20, 0)).hasMessageContaining("step >= 1, got from 16, to 20, step 0");

        ModelCard tuned = card(128);
        tuned.setTrainAugmentation(io.fixres.transform.TrainAugmentation.RESIZE_CROP);
        tuned.setFineTunings(List.of(new ModelCard.FineTuning(224, "affine", "test", 1, 0.001, 70.0, 75.0)));
        assertThat(ResolutionSweep.label(tuned)).isEqualTo("resize-crop 128px ft 224px");
    }
}
