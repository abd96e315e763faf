package io.fixres.fix;

import io.fixres.io.InvalidParameterException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which test resolutions to measure, round by round, to find the best one in few evaluations: the
 * training resolution (the baseline) and resolutions aligned to the network's total stride (the
 * supplement, Appendix B: accuracy drops just after the final feature map grows, so the best
 * resolutions are multiples of the stride) around the apparent-size prediction K* (paper
 * section 3), then the unmeasured aligned neighbours of the best so far until the best is flanked
 * by measured neighbours or the evaluation budget is spent. Pure: the caller measures.
 */
public final class ResolutionProbe {
    /** Resolutions measured in the first round at most: the baseline, K* and one stride either side. */
    static final int FIRST_ROUND = 4;

    private final int trainRes;
    private final int predicted;
    private final int stride;
    private final int lowest;
    private final int highest;
    private final int evaluations;

    /**
     * @param trainRes the training resolution, always measured (the baseline), wherever it lies
     * @param prediction K*, the apparent-size prediction (moved to the nearest allowed aligned resolution)
     * @param stride the network's total stride
     * @param minimum the smallest resolution worth measuring (one cell of the final feature map)
     * @param maximum the largest resolution allowed (a latency budget's), or {@link Integer#MAX_VALUE}
     * @param evaluations at most this many resolutions are measured, the baseline included (>= 2)
     */
    public ResolutionProbe(int trainRes, int prediction, int stride, int minimum, int maximum, int evaluations) {
        InvalidParameterException.require(evaluations >= 2, "probe evaluations",
                "must be >= 2 (the training resolution and at least one candidate)", evaluations);
        InvalidParameterException.require(stride >= 1, "stride", "must be >= 1", stride);
        this.trainRes = trainRes;
        this.stride = stride;
        this.lowest = stride * Math.max(1, ceilDiv(minimum, stride));
        this.highest = maximum == Integer.MAX_VALUE ? Integer.MAX_VALUE : stride * Math.floorDiv(maximum, stride);
        if (highest < lowest) {
            throw new IllegalArgumentException("no stride-aligned resolution (multiple of " + stride + ") lies between "
                    + minimum + " and " + maximum + " px");
        }
        this.predicted = Math.min(highest, Math.max(lowest, stride * (int) Math.round((double) prediction / stride)));
        this.evaluations = evaluations;
    }

    /** K*, aligned and inside the allowed range. */
    public int prediction() { return predicted; }

    /** The largest allowed aligned resolution ({@link Integer#MAX_VALUE} without a ceiling). */
    public int highest() { return highest; }

    public int evaluations() { return evaluations; }

    /** The training resolution, K* and K* one stride up and down (then two strides), at most {@value #FIRST_ROUND}. */
    public List<Integer> firstRound() {
        Set<Integer> round = new LinkedHashSet<>();
        round.add(trainRes);
        for (int offset : new int[] {0, 1, -1, 2, -2, 3, -3}) {
            if (round.size() >= Math.min(FIRST_ROUND, evaluations)) {
                break;
            }
            int r = predicted + offset * stride;
            if (allowed(r)) {
                round.add(r);
            }
        }
        return List.copyOf(round);
    }

    /**
     * The next round given the top-1 measured so far (every resolution of the earlier rounds): the
     * unmeasured allowed aligned neighbours of the best allowed resolution (the lower one wins ties,
     * it is cheaper), the higher first, within the budget; empty when the probe is done.
     */
    public List<Integer> nextRound(Map<Integer, Double> top1) {
        int left = evaluations - top1.size();
        if (left <= 0) {
            return List.of();
        }
        int best = best(top1);
        List<Integer> round = new ArrayList<>();
        int below = stride * Math.floorDiv(best - 1, stride);
        int above = stride * (Math.floorDiv(best, stride) + 1);
        for (int r : new int[] {above, below}) {
            if (round.size() < left && allowed(r) && !top1.containsKey(r)) {
                round.add(r);
            }
        }
        return round;
    }

    /** The best allowed resolution by top-1, the lower one on ties. */
    public int best(Map<Integer, Double> top1) {
        int best = -1;
        for (Map.Entry<Integer, Double> e : new java.util.TreeMap<>(top1).entrySet()) {
            if ((allowed(e.getKey()) || e.getKey() == trainRes && e.getKey() <= highest)
                    && (best < 0 || e.getValue() > top1.get(best))) {
                best = e.getKey();
            }
        }
        if (best < 0) {
            throw new IllegalStateException("no allowed resolution among the measured " + Collections.unmodifiableSet(top1.keySet()));
        }
        return best;
    }

    private boolean allowed(int r) {
        return r >= lowest && r <= highest && r % stride == 0;
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
