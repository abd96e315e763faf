package io.fixres.transform;

import java.util.random.RandomGenerator;

/**
 * torchvision {@code RandomResizedCrop} (the paper's "train DA", section 3): a random window
 * covering a fraction s ~ U(scale) of the image area with a log-uniform aspect ratio, up to 10
 * attempts, else a central crop clamped to the ratio range; then an antialiased bilinear resize
 * to {@code size x size}. This is what makes training objects look 1/sqrt(s) larger.
 */
public final class RandomResizedCrop implements Transform {
    static final int ATTEMPTS = 10;

    private final int size;
    private final double scaleMin, scaleMax, ratioMin, ratioMax;

    /** torchvision's defaults: area scale (0.08, 1), aspect ratio (3/4, 4/3). */
    public static final double DEFAULT_SCALE_MIN = 0.08;
    public static final double DEFAULT_SCALE_MAX = 1.0;
    public static final double DEFAULT_RATIO_MIN = 3.0 / 4.0;
    public static final double DEFAULT_RATIO_MAX = 4.0 / 3.0;

    public RandomResizedCrop(int size) {
        this(size, DEFAULT_SCALE_MIN, DEFAULT_SCALE_MAX, DEFAULT_RATIO_MIN, DEFAULT_RATIO_MAX);
    }

    public RandomResizedCrop(int size, double scaleMin, double scaleMax, double ratioMin, double ratioMax) {
        Resize.requirePositive("RandomResizedCrop size", size);
        if (!(scaleMin > 0 && scaleMin <= scaleMax)) {
            throw new IllegalArgumentException("RandomResizedCrop scale must satisfy 0 < min <= max, got ("
                    + scaleMin + ", " + scaleMax + ")");
        }
        if (!(ratioMin > 0 && ratioMin <= ratioMax)) {
            throw new IllegalArgumentException("RandomResizedCrop ratio must satisfy 0 < min <= max, got ("
                    + ratioMin + ", " + ratioMax + ")");
        }
        this.size = size;
        this.scaleMin = scaleMin;
        this.scaleMax = scaleMax;
        this.ratioMin = ratioMin;
        this.ratioMax = ratioMax;
    }

    /** torchvision's {@code RandomResizedCrop.get_params} for an {@code imageH x imageW} image. */
    public CropBox sampleBox(int imageH, int imageW, RandomGenerator rng) {
        double area = (double) imageH * imageW;
        double logMin = Math.log(ratioMin), logMax = Math.log(ratioMax);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            double targetArea = area * uniform(rng, scaleMin, scaleMax);
            double aspect = Math.exp(uniform(rng, logMin, logMax));
            int w = (int) Math.rint(Math.sqrt(targetArea * aspect));
            int h = (int) Math.rint(Math.sqrt(targetArea / aspect));
            if (w > 0 && w <= imageW && h > 0 && h <= imageH) {
                int top = rng.nextInt(imageH - h + 1);
                int left = rng.nextInt(imageW - w + 1);
                return new CropBox(top, left, h, w);
            }
        }
        // Fallback: the whole image, clamped to the allowed aspect ratio, centred.
        double inRatio = (double) imageW / imageH;
        int w = imageW, h = imageH;
        if (inRatio < ratioMin) {
            h = (int) Math.rint(w / ratioMin);
        } else if (inRatio > ratioMax) {
            w = (int) Math.rint(h * ratioMax);
        }
        return new CropBox((imageH - h) / 2, (imageW - w) / 2, h, w);
    }

    @Override
    public FloatImage apply(FloatImage image, RandomGenerator rng) {
        CropBox box = sampleBox(image.height(), image.width(), rng);
        return BilinearResampler.resize(image.crop(box), size, size);
    }

    /** U(a, b); tolerates a == b, unlike {@link RandomGenerator#nextDouble(double, double)}. */
    static double uniform(RandomGenerator rng, double a, double b) {
        return a + (b - a) * rng.nextDouble();
    }

    public int size() { return size; }

    @Override
    public String toString() {
        return "RandomResizedCrop(size=" + size + ", scale=" + Fmt.pair(scaleMin, scaleMax) + ", ratio="
                + Fmt.pair(ratioMin, ratioMax) + ", interpolation=bilinear, antialias=True)";
    }
}
