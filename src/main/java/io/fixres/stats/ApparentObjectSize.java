package io.fixres.stats;

/**
 * Apparent object size under the train and test pre-processing (main paper, section 3).
 *
 * <p>Train: RandomResizedCrop keeps an area fraction {@code s ~ U(a, b)} of the image and resizes
 * it to {@code K_train}, so an object appears {@code 1 / sigma} times larger, {@code sigma =
 * sqrt(s)}. Test: the image is resized to {@code K_image = K_test / cropRatio} and centre-cropped
 * to {@code K_test}. For an object of {@code r} pixels in an image of side {@code L}:
 *
 * <pre>
 * r_train = r K_train / (sigma L),   r_test = r K_image / L
 * r_test / r_train = sigma K_test / (cropRatio K_train)
 * E[r_test / r_train] = 1  &lt;=&gt;  K_test = cropRatio K_train / E[sigma]     (224 -&gt; 276.8)
 * </pre>
 *
 * <p>Simplifications, as in the paper: the aspect ratio of RandomResizedCrop is ignored. It
 * stretches the two axes by {@code sqrt(s r)} and {@code sqrt(s / r)} whose geometric mean is
 * still {@code sqrt(s)}, so it changes {@code sigma} per axis but not on average over area; the
 * crops torchvision rejects (too large for the image at an extreme ratio) and its fallback are
 * also ignored. {@code K_image} is taken as the real {@code K_test / cropRatio}, not the
 * truncated {@code int(K_test * 256 / 224)}. The balance is set on {@code E[sigma]}, the paper's
 * choice; balancing {@code E[r_train]} instead would involve {@code E[1 / sigma]}.
 */
public final class ApparentObjectSize {
    /** torchvision's RandomResizedCrop default area range. */
    public static final double DEFAULT_SCALE_MIN = 0.08;
    public static final double DEFAULT_SCALE_MAX = 1.0;
    /** The usual test-time crop ratio, 224 / 256. */
    public static final double DEFAULT_CROP_RATIO = 0.875;

    private ApparentObjectSize() {}

    /**
     * {@code E[sqrt(s)]} for {@code s ~ U(a, b)}: {@code (2/3) (b^1.5 - a^1.5) / (b - a)}
     * (0.7082 for the default 0.08..1).
     */
    public static double expectedSigma(double scaleMin, double scaleMax) {
        requireScaleRange(scaleMin, scaleMax);
        if (scaleMin == scaleMax) {
            return Math.sqrt(scaleMin);
        }
        return 2.0 / 3.0 * (Math.pow(scaleMax, 1.5) - Math.pow(scaleMin, 1.5)) / (scaleMax - scaleMin);
    }

    /**
     * Expected {@code r_test / r_train} for a model trained with RandomResizedCrop at
     * {@code trainRes} and tested at {@code testRes}: {@code E[sigma] K_test / (cropRatio K_train)}.
     * Below 1, objects look smaller at test time than during training.
     */
    public static double expectedSizeRatio(int trainRes, int testRes, double scaleMin, double scaleMax,
                                           double cropRatio) {
        requirePositive(trainRes, "train resolution");
        requirePositive(testRes, "test resolution");
        requireCropRatio(cropRatio);
        return expectedSigma(scaleMin, scaleMax) * testRes / (cropRatio * trainRes);
    }

    /**
     * Test resolution at which objects have, on average, their training apparent size after
     * RandomResizedCrop training: {@code cropRatio K_train / E[sigma]} (224 -&gt; 276.8).
     */
    public static double equalisingTestResolution(int trainRes, double scaleMin, double scaleMax,
                                                  double cropRatio) {
        requirePositive(trainRes, "train resolution");
        requireCropRatio(cropRatio);
        return cropRatio * trainRes / expectedSigma(scaleMin, scaleMax);
    }

    /** {@link #equalisingTestResolution(int, double, double, double)} with the defaults. */
    public static double equalisingTestResolution(int trainRes) {
        return equalisingTestResolution(trainRes, DEFAULT_SCALE_MIN, DEFAULT_SCALE_MAX, DEFAULT_CROP_RATIO);
    }

    /**
     * Same for resize + fixed-size random crop training (supplement D): the training image is
     * resized to side {@code K_train} with no zoom ({@code sigma = 1}), so apparent sizes match at
     * {@code K_test = cropRatio K_train}.
     */
    public static double equalisingTestResolutionResizeCrop(int trainRes, double cropRatio) {
        requirePositive(trainRes, "train resolution");
        requireCropRatio(cropRatio);
        return cropRatio * trainRes;
    }

    /**
     * The multiple of {@code stride} nearest to {@code res} (ties round up), at least one stride:
     * ResNets lose accuracy off multiples of 32 (supplement B).
     */
    public static int nearestStrideAligned(double res, int stride) {
        requirePositive(stride, "stride");
        if (!(res > 0) || !Double.isFinite(res)) {
            throw new IllegalArgumentException("resolution must be positive, got " + res);
        }
        long multiple = Math.max(1, Math.round(res / stride));
        return Math.toIntExact(multiple * stride);
    }

    private static void requireScaleRange(double scaleMin, double scaleMax) {
        if (!(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1)) {
            throw new IllegalArgumentException("RandomResizedCrop scale range must satisfy "
                    + "0 < min <= max <= 1, got (" + scaleMin + ", " + scaleMax + ")");
        }
    }

    private static void requireCropRatio(double cropRatio) {
        if (!(cropRatio > 0 && cropRatio <= 1)) {
            throw new IllegalArgumentException("crop ratio must be in (0, 1], got " + cropRatio);
        }
    }

    private static void requirePositive(int value, String what) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }
}
