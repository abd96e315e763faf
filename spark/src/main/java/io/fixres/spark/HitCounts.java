package io.fixres.spark;

import io.fixres.eval.ResolutionAccuracy;
import java.io.Serializable;

/**
 * Exact top-1/top-5 hit counts at one test resolution over some images: what a partition
 * returns and the driver sums. Percentages are derived once, from the total counts, with the
 * single-machine formula (100.0 * hits / images), so they are bit-identical to it.
 */
public record HitCounts(int testResolution, long images, long top1, long top5) implements Serializable {

    /**
     * The counts behind a single-machine {@link ResolutionAccuracy}: its percentages are
     * 100.0 * hits / images in double precision, so hits = round(percent * images / 100) exactly
     * (the relative error of the double, about 1e-16, is far below 0.5 / images).
     */
    public static HitCounts of(ResolutionAccuracy accuracy) {
        long n = accuracy.images();
        return new HitCounts(accuracy.testResolution(), n, hits(accuracy.top1(), n), hits(accuracy.top5(), n));
    }

    private static long hits(double percent, long images) {
        return images == 0 ? 0 : Math.round(percent * images / 100.0);
    }

    public HitCounts plus(HitCounts other) {
        if (other.testResolution != testResolution) {
            throw new IllegalArgumentException("cannot add counts at " + other.testResolution + " px to counts at "
                    + testResolution + " px");
        }
        return new HitCounts(testResolution, images + other.images, top1 + other.top1, top5 + other.top5);
    }

    /** As the single-machine evaluation reports it. */
    public ResolutionAccuracy accuracy() {
        return images == 0 ? new ResolutionAccuracy(testResolution, Double.NaN, Double.NaN, 0)
                : new ResolutionAccuracy(testResolution, 100.0 * top1 / images, 100.0 * top5 / images, images);
    }
}
