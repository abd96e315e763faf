package io.fixres.study;

import io.fixres.eval.ResolutionAccuracy;
import io.fixres.eval.ResolutionEvaluation;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntUnaryOperator;

/**
 * Border and round-off effects in a 1-pixel resolution sweep (supplement B, Figure 7): accuracy
 * is not monotonous in the test resolution because the final feature map grows by one cell only
 * at some resolutions, and the new cell starts out covering mostly padding. For torchvision's
 * ResNet-50 the map side is ceil(r / 32), so it grows between 256 and 257 and the supplement
 * sees "a large drop just after resolution 256", hence multiples of the stride as test sizes.
 *
 * <p>A <em>change point</em> is a resolution {@code r} whose final map is larger than at
 * {@code r - 1}. A <em>drop</em> is a change point where top-1 at {@code r} is lower than at
 * {@code r - 1} (both measured). To tell whether drops follow the stride rather than the noise,
 * the 1-pixel steps are summarised separately at change points and elsewhere.
 *
 * @param totalStride the network's total stride; aligned resolutions are its multiples
 * @param changePoints every change point inside the measured range
 * @param drops the change points where accuracy fell, with the size of the fall
 * @param stepsAtChangePoints 1-pixel steps that cross a change point
 * @param stepsElsewhere the other 1-pixel steps
 * @param best the best measured resolution by top-1 (ties: the lower one)
 * @param bestAligned the best measured multiple of the stride, or null if none was measured
 */
public record BorderEffects(
        @JsonProperty("total_stride") int totalStride,
        @JsonProperty("change_points") List<ChangePoint> changePoints,
        @JsonProperty("drops") List<Drop> drops,
        @JsonProperty("steps_at_change_points") StepSummary stepsAtChangePoints,
        @JsonProperty("steps_elsewhere") StepSummary stepsElsewhere,
        @JsonProperty("best") ResolutionAccuracy best,
        @JsonProperty("best_aligned") ResolutionAccuracy bestAligned) {

    /** The final feature map grows from {@code mapBefore} to {@code mapAfter} cells between {@code resolution - 1} and {@code resolution}. */
    public record ChangePoint(
            @JsonProperty("resolution") int resolution,
            @JsonProperty("map_before") int mapBefore,
            @JsonProperty("map_after") int mapAfter) {}

    /** Top-1 (percent) fell by {@code size} points from {@code resolution - 1} to {@code resolution}, a change point. */
    public record Drop(
            @JsonProperty("resolution") int resolution,
            @JsonProperty("map_before") int mapBefore,
            @JsonProperty("map_after") int mapAfter,
            @JsonProperty("top1_before") double top1Before,
            @JsonProperty("top1_after") double top1After,
            @JsonProperty("size") double size) {}

    /**
     * A set of 1-pixel steps r -> r + 1: how many, how many lost accuracy, and the mean change
     * of top-1 in points (NaN when there are none).
     */
    public record StepSummary(
            @JsonProperty("steps") int steps,
            @JsonProperty("decreases") int decreases,
            @JsonProperty("mean_change") double meanChange) {

        static StepSummary of(List<Double> changes) {
            long decreases = changes.stream().filter(c -> c < 0).count();
            double mean = changes.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            return new StepSummary(changes.size(), (int) decreases, mean);
        }

        /** Fraction of the steps that lost accuracy (NaN when there are none). */
        public double decreaseRate() {
            return steps == 0 ? Double.NaN : (double) decreases / steps;
        }
    }

    /**
     * Analyses sweep results (any order, any spacing; only 1-pixel neighbours give steps).
     *
     * @param results accuracy per test resolution, at least one
     * @param featureMapSize side of the final feature map for an input side (e.g. {@code net::featureMapSize})
     * @param totalStride the network's total stride
     */
    public static BorderEffects analyse(List<ResolutionAccuracy> results, IntUnaryOperator featureMapSize, int totalStride) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no sweep results to analyse");
        }
        if (totalStride < 1) {
            throw new IllegalArgumentException("total stride must be >= 1, got " + totalStride);
        }
        TreeMap<Integer, ResolutionAccuracy> byRes = new TreeMap<>();
        for (ResolutionAccuracy r : results) {
            if (byRes.put(r.testResolution(), r) != null) {
                throw new IllegalArgumentException("resolution " + r.testResolution() + " appears twice in the sweep");
            }
        }
        List<ChangePoint> changes = new ArrayList<>();
        for (int r = byRes.firstKey() + 1; r <= byRes.lastKey(); r++) {
            int before = featureMapSize.applyAsInt(r - 1);
            int after = featureMapSize.applyAsInt(r);
            if (after != before) {
                changes.add(new ChangePoint(r, before, after));
            }
        }
        Map<Integer, ChangePoint> changeAt = new TreeMap<>();
        changes.forEach(c -> changeAt.put(c.resolution(), c));

        List<Drop> drops = new ArrayList<>();
        List<Double> atChanges = new ArrayList<>();
        List<Double> elsewhere = new ArrayList<>();
        for (ResolutionAccuracy after : byRes.values()) {
            ResolutionAccuracy before = byRes.get(after.testResolution() - 1);
            if (before == null) {
                continue;
            }
            double change = after.top1() - before.top1();
            ChangePoint c = changeAt.get(after.testResolution());
            if (c == null) {
                elsewhere.add(change);
                continue;
            }
            atChanges.add(change);
            if (change < 0) {
                drops.add(new Drop(c.resolution(), c.mapBefore(), c.mapAfter(), before.top1(), after.top1(), -change));
            }
        }
        List<ResolutionAccuracy> aligned = byRes.values().stream()
                .filter(r -> r.testResolution() % totalStride == 0).toList();
        return new BorderEffects(totalStride, List.copyOf(changes), List.copyOf(drops),
                StepSummary.of(atChanges), StepSummary.of(elsewhere),
                ResolutionEvaluation.best(new ArrayList<>(byRes.values())),
                aligned.isEmpty() ? null : ResolutionEvaluation.best(aligned));
    }
}
