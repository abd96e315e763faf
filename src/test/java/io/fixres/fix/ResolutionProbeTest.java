package io.fixres.fix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fixres.io.InvalidParameterException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

class ResolutionProbeTest {

    /** Runs the probe against a known accuracy curve; returns every resolution measured, round by round. */
    private static List<List<Integer>> probe(ResolutionProbe plan, IntToDoubleFunction top1, Map<Integer, Double> measured) {
        List<List<Integer>> rounds = new java.util.ArrayList<>();
        for (List<Integer> round = plan.firstRound(); !round.isEmpty(); round = plan.nextRound(measured)) {
            rounds.add(round);
            round.forEach(k -> measured.put(k, top1.applyAsDouble(k)));
        }
        return rounds;
    }

    @Test
    void firstRoundIsTheTrainingResolutionAndStrideAlignedResolutionsAroundThePrediction() {
        // the default model: trained at 24 px, stride 4, predicted 29.7 -> 28 px
        ResolutionProbe plan = new ResolutionProbe(24, 28, 4, 4, Integer.MAX_VALUE, 6);
        // 24 = 28 - 4 is the training resolution already: two strides up takes its place
        assertThat(plan.firstRound()).containsExactly(24, 28, 32, 36);
        // ResNet-50 at 224 px, stride 32, predicted 277 -> 288
        ResolutionProbe imagenet = new ResolutionProbe(224, 277, 32, 32, Integer.MAX_VALUE, 6);
        assertThat(imagenet.prediction()).isEqualTo(288);
        assertThat(imagenet.firstRound()).containsExactly(224, 288, 320, 256);
        // a training resolution off the stride grid stays the baseline; candidates stay on the grid
        ResolutionProbe off = new ResolutionProbe(26, 30, 4, 4, Integer.MAX_VALUE, 6);
        assertThat(off.prediction()).isEqualTo(32); // 30 rounds half up to 32 (nearest multiple of 4, ties up)
        assertThat(off.firstRound()).containsExactly(26, 32, 36, 28);
    }

    @Test
    void refinesTowardsTheBestAndStopsWhenItIsFlankedByMeasuredNeighbours() {
        ResolutionProbe plan = new ResolutionProbe(24, 28, 4, 4, Integer.MAX_VALUE, 6);
        Map<Integer, Double> measured = new TreeMap<>();
        // accuracy rises to 40 px then falls
        List<List<Integer>> rounds = probe(plan, k -> -Math.abs(k - 40), measured);
        assertThat(rounds).containsExactly(List.of(24, 28, 32, 36), List.of(40), List.of(44));
        assertThat(plan.best(measured)).isEqualTo(40);
        assertThat(measured).hasSize(6);

        Map<Integer, Double> peakAtPrediction = new TreeMap<>();
        assertThat(probe(plan, k -> -Math.abs(k - 28), peakAtPrediction)).containsExactly(List.of(24, 28, 32, 36));
        assertThat(plan.best(peakAtPrediction)).isEqualTo(28);
    }

    @Test
    void neverMeasuresMoreThanTheBudgetAndAlwaysOnTheStrideGridBesidesTheTrainingResolution() {
        for (int evaluations = 2; evaluations <= 9; evaluations++) {
            for (int peak : new int[] {4, 12, 26, 60}) {
                ResolutionProbe plan = new ResolutionProbe(22, 27, 4, 8, Integer.MAX_VALUE, evaluations);
                Map<Integer, Double> measured = new TreeMap<>();
                probe(plan, k -> -Math.abs(k - peak), measured);
                assertThat(measured.size()).as("budget %d, peak %d", evaluations, peak).isLessThanOrEqualTo(evaluations);
                assertThat(measured).containsKey(22);
                measured.keySet().stream().filter(k -> k != 22)
                        .forEach(k -> assertThat(k % 4).as("%d px", k).isZero());
                assertThat(measured.keySet()).allSatisfy(k -> assertThat(k).isGreaterThanOrEqualTo(8));
            }
        }
    }

    @Test
    void aCeilingKeepsEveryCandidateAndTheChoiceWithinIt() {
        // a latency budget allows up to 30 px: aligned candidates stop at 28
        ResolutionProbe plan = new ResolutionProbe(24, 36, 4, 4, 30, 6);
        assertThat(plan.prediction()).isEqualTo(28);
        assertThat(plan.highest()).isEqualTo(28);
        Map<Integer, Double> measured = new TreeMap<>();
        assertThat(probe(plan, k -> k, measured)) // bigger is better: the budget must stop it
                .containsExactly(List.of(24, 28, 20, 16));
        assertThat(measured.keySet()).allSatisfy(k -> assertThat(k).isLessThanOrEqualTo(28));
        assertThat(plan.best(measured)).isEqualTo(28);
        // the training resolution above the ceiling is measured (the baseline) but cannot be chosen
        ResolutionProbe over = new ResolutionProbe(32, 36, 4, 4, 24, 4);
        Map<Integer, Double> both = new TreeMap<>(Map.of(32, 90.0, 24, 80.0, 20, 70.0));
        assertThat(over.best(both)).isEqualTo(24);
    }

    @Test
    void badSettingsAreRefusedNamingTheParameter() {
        assertThatThrownBy(() -> new ResolutionProbe(24, 28, 4, 4, Integer.MAX_VALUE, 0))
                .isInstanceOf(InvalidParameterException.class)
                .hasMessage("probe evaluations must be >= 2 (the training resolution and at least one candidate), got 0");
        assertThatThrownBy(() -> new ResolutionProbe(24, 28, 32, 32, 20, 6))
                .hasMessage("no stride-aligned resolution (multiple of 32) lies between 32 and 20 px");
    }
}
