package io.fixres.stats;

import io.fixres.io.InvalidParameterException;

import io.fixres.transform.CropBox;
import io.fixres.transform.RandomResizedCrop;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import java.util.random.RandomGenerator;

/**
 * The zoom {@code sigma = sqrt(crop area / image area)} of torchvision's RandomResizedCrop as it
 * is really sampled, to check the closed form {@link ApparentObjectSize#expectedSigma} (paper
 * section 3) against the implementation.
 *
 * <p>The closed form takes {@code s ~ U(a, b)}. The sampler also draws a log-uniform aspect
 * ratio {@code r} and rejects crops wider or taller than the image, retrying up to 10 times and
 * then falling back to the whole image. On a square image a draw is kept iff
 * {@code s max(r, 1/r) <= 1}, so large scales are rejected more often and the kept crops are
 * smaller on average: with the defaults (0.08..1, 3/4..4/3) {@code E[sigma]} is 0.6671, not
 * 0.7082. With the ratio fixed at 1 nothing is rejected and the closed form is exact (up to the
 * rounding of the crop side to whole pixels).
 */
public final class RandomResizedCropSigma {
    /** Attempts torchvision makes before its fallback. */
    static final int ATTEMPTS = 10;
    private static final int SIMPSON_INTERVALS = 4096;

    /** Mean zoom over {@code samples} draws, with its standard error. */
    public record Estimate(double mean, double standardError, int samples) {}

    private RandomResizedCropSigma() {}

    /**
     * {@code E[sigma]} of the sampler on a square image, counting the rejected draws and the
     * fallback, by numerical integration over the scale (continuous sides: no pixel rounding).
     */
    public static double expectedOnSquareImage(double scaleMin, double scaleMax, double ratioMin, double ratioMax) {
        if (!(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1)) {
            throw new IllegalArgumentException("RandomResizedCrop scale range must satisfy 0 < min <= max <= 1, got ("
                    + scaleMin + ", " + scaleMax + ")");
        }
        if (!(ratioMin > 0 && ratioMin <= ratioMax)) {
            throw new IllegalArgumentException("RandomResizedCrop ratio range must satisfy 0 < min <= max, got ("
                    + ratioMin + ", " + ratioMax + ")");
        }
        double logMin = Math.log(ratioMin);
        double logMax = Math.log(ratioMax);
        DoubleUnaryOperator accept = s -> acceptance(s, logMin, logMax);
        double q;
        double keptSigma;
        if (scaleMin == scaleMax) {
            q = accept.applyAsDouble(scaleMin);
            keptSigma = Math.sqrt(scaleMin) * q;
        } else {
            // The acceptance has kinks where ln s meets the ratio bounds: integrate piecewise.
            double[] cuts = {scaleMin, clamp(1 / ratioMax, scaleMin, scaleMax), clamp(ratioMin, scaleMin, scaleMax), scaleMax};
            Arrays.sort(cuts);
            double width = scaleMax - scaleMin;
            q = 0;
            keptSigma = 0;
            for (int i = 0; i + 1 < cuts.length; i++) {
                q += simpson(accept, cuts[i], cuts[i + 1]) / width;
                keptSigma += simpson(s -> Math.sqrt(s) * accept.applyAsDouble(s), cuts[i], cuts[i + 1]) / width;
            }
        }
        double fallback = Math.pow(1 - q, ATTEMPTS);
        double meanKept = q > 0 ? keptSigma / q : 0;
        return (1 - fallback) * meanKept + fallback * fallbackSigma(ratioMin, ratioMax);
    }

    /** Probability over the log-uniform ratio that a crop of area fraction s fits a square image. */
    private static double acceptance(double s, double logMin, double logMax) {
        // fits iff s r <= 1 and s / r <= 1, i.e. ln s <= ln r <= -ln s
        double lo = Math.max(logMin, Math.log(s));
        double hi = Math.min(logMax, -Math.log(s));
        if (logMax == logMin) {
            return lo <= hi ? 1 : 0;
        }
        return Math.max(0, hi - lo) / (logMax - logMin);
    }

    /** The fallback's zoom on a square image: the whole image, clamped to the ratio range. */
    private static double fallbackSigma(double ratioMin, double ratioMax) {
        if (ratioMin > 1) {
            return Math.sqrt(1 / ratioMin);
        }
        if (ratioMax < 1) {
            return Math.sqrt(ratioMax);
        }
        return 1;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /**
     * Composite Simpson rule over a piece on which {@code f} is smooth; the ends are taken just
     * inside, since the acceptance may jump at a cut (a fixed ratio keeps or rejects a whole range).
     */
    private static double simpson(DoubleUnaryOperator f, double a, double b) {
        if (b <= a) {
            return 0;
        }
        double h = (b - a) / SIMPSON_INTERVALS;
        double sum = f.applyAsDouble(Math.nextUp(a)) + f.applyAsDouble(Math.nextDown(b));
        for (int i = 1; i < SIMPSON_INTERVALS; i++) {
            sum += f.applyAsDouble(a + i * h) * (i % 2 == 1 ? 4 : 2);
        }
        return sum * h / 3;
    }

    /**
     * Monte Carlo over the real sampler: the mean of {@code sqrt(h w) / side} for {@code samples}
     * boxes drawn by {@code crop.sampleBox} on a {@code side x side} image.
     */
    public static Estimate monteCarlo(RandomResizedCrop crop, int side, int samples, RandomGenerator rng) {
        if (side < 1) {
            throw new IllegalArgumentException("image side must be >= 1, got " + side);
        }
        InvalidParameterException.require(samples >= 2, "Monte Carlo samples", "must be >= 2", samples);
        double area = (double) side * side;
        double sum = 0;
        double sumSquares = 0;
        for (int i = 0; i < samples; i++) {
            CropBox box = crop.sampleBox(side, side, rng);
            double sigma = Math.sqrt(box.height() * (double) box.width() / area);
            sum += sigma;
            sumSquares += sigma * sigma;
        }
        double mean = sum / samples;
        double variance = Math.max(0, (sumSquares - samples * mean * mean) / (samples - 1));
        return new Estimate(mean, Math.sqrt(variance / samples), samples);
    }
}
