package io.fixres.study;

import io.fixres.eval.ResolutionAccuracy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

class BorderEffectsTest {
    /** The small ResNet's final map: ceil(r / 4) (stride-1 stem, two stride-2 stages). */
    private static final IntUnaryOperator CEIL_QUARTER = r -> (r + 3) / 4;

    private static List<ResolutionAccuracy> sweep(int from, double... top1) {
        List<ResolutionAccuracy> out = new ArrayList<>();
        for (int i = 0; i < top1.length; i++) {
            out.add(new ResolutionAccuracy(from + i, top1[i], 99, 100));
        }
        return out;
    }

    @Test
    void findsChangePointsDropsAndAlignedBest() {
        // 16..25; the map grows at 17 (4->5), 21 (5->6) and 25 (6->7).
        List<ResolutionAccuracy> results = sweep(16, 80, 79, 80, 81, 82, 83, 82.5, 83.5, 84, 84.5);
        BorderEffects e = BorderEffects.analyse(results, CEIL_QUARTER, 4);

        assertThat(e.totalStride()).isEqualTo(4);
        assertThat(e.changePoints()).containsExactly(
                new BorderEffects.ChangePoint(17, 4, 5),
                new BorderEffects.ChangePoint(21, 5, 6),
                new BorderEffects.ChangePoint(25, 6, 7));
        // 16->17 falls by 1; 20->21 rises; 24->25 rises.
        assertThat(e.drops()).containsExactly(new BorderEffects.Drop(17, 4, 5, 80, 79, 1));
        assertThat(e.stepsAtChangePoints().steps()).isEqualTo(3);
        assertThat(e.stepsAtChangePoints().decreases()).isEqualTo(1);
        assertThat(e.stepsAtChangePoints().meanChange()).isCloseTo((-1 + 1 + 0.5) / 3, within(1e-12));
        // elsewhere: +1 +1 +1 -0.5 +1 +0.5 (17->18, 18->19, 19->20, 21->22, 22->23, 23->24)
        assertThat(e.stepsElsewhere().steps()).isEqualTo(6);
        assertThat(e.stepsElsewhere().decreases()).isEqualTo(1);
        assertThat(e.stepsElsewhere().meanChange()).isCloseTo(4.0 / 6, within(1e-12));
        assertThat(e.stepsElsewhere().decreaseRate()).isCloseTo(1.0 / 6, within(1e-12));
        assertThat(e.best().testResolution()).isEqualTo(25);
        assertThat(e.bestAligned().testResolution()).isEqualTo(24);
    }

    @Test
    void resnet50MapGrowsJustAfterMultiplesOf32() {
        // torchvision ResNet-50: ceil(r / 32); the supplement's "large drop just after resolution 256".
        BorderEffects e = BorderEffects.analyse(sweep(255, 78.4, 78.5, 77.9), r -> (r + 31) / 32, 32);
        assertThat(e.changePoints()).containsExactly(new BorderEffects.ChangePoint(257, 8, 9));
        assertThat(e.drops()).hasSize(1);
        assertThat(e.drops().get(0).size()).isCloseTo(0.6, within(1e-9));
        assertThat(e.bestAligned().testResolution()).isEqualTo(256);
        assertThat(e.best().testResolution()).isEqualTo(256);
    }

    @Test
    void unsortedInputAndTiesPreferTheLowerResolution() {
        List<ResolutionAccuracy> results = new ArrayList<>(sweep(20, 85, 86, 86, 84, 86));
        java.util.Collections.reverse(results);
        BorderEffects e = BorderEffects.analyse(results, CEIL_QUARTER, 4);
        assertThat(e.best().testResolution()).isEqualTo(21);
        assertThat(e.bestAligned().testResolution()).isEqualTo(24);
        assertThat(e.drops()).isEmpty(); // 20->21 is the only change point inside, and it rises
    }

    @Test
    void coarseSweepsHaveNoStepsAndMayHaveNoAlignedResolution() {
        List<ResolutionAccuracy> results = List.of(
                new ResolutionAccuracy(17, 80, 99, 10), new ResolutionAccuracy(21, 79, 99, 10));
        BorderEffects e = BorderEffects.analyse(results, CEIL_QUARTER, 4);
        // 17..21 all map to 5 cells except 21 (6): the change point is there, but 20 was not measured.
        assertThat(e.changePoints()).containsExactly(new BorderEffects.ChangePoint(21, 5, 6));
        assertThat(e.drops()).isEmpty();
        assertThat(e.stepsAtChangePoints().steps()).isZero();
        assertThat(e.stepsAtChangePoints().meanChange()).isNaN();
        assertThat(e.stepsElsewhere().decreaseRate()).isNaN();
        assertThat(e.bestAligned()).isNull();
    }

    @Test
    void rejectsEmptyAndDuplicateResults() {
        assertThatThrownBy(() -> BorderEffects.analyse(List.of(), CEIL_QUARTER, 4)).hasMessageContaining("no sweep results");
        List<ResolutionAccuracy> twice = List.of(new ResolutionAccuracy(20, 1, 1, 1), new ResolutionAccuracy(20, 2, 2, 1));
        assertThatThrownBy(() -> BorderEffects.analyse(twice, CEIL_QUARTER, 4)).hasMessageContaining("resolution 20 appears twice");
        assertThatThrownBy(() -> BorderEffects.analyse(sweep(16, 1), CEIL_QUARTER, 0)).hasMessageContaining("total stride");
    }
}
