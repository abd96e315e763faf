package io.fixres.transform;

import java.util.random.RandomGenerator;

/**
 * torchvision {@code ColorJitter(brightness, contrast, saturation)} on float images: each factor
 * is drawn from U[max(0, 1 - v), 1 + v] (a zero strength disables that op, as torchvision), and
 * the ops run in a random order. Every op is a blend {@code f * img + (1 - f) * other} clamped to
 * [0, 1]: other = 0 (brightness), the mean grey level (contrast), the grey image (saturation;
 * nothing to do on one channel). Grey = ITU-R 601-2 luma 0.299 R + 0.587 G + 0.114 B.
 */
public final class ColorJitter implements Transform {
    private final double brightness, contrast, saturation;

    public ColorJitter(double brightness, double contrast, double saturation) {
        for (double v : new double[] {brightness, contrast, saturation}) {
            if (!(v >= 0)) {
                throw new IllegalArgumentException("ColorJitter strengths must be >= 0, got " + v);
            }
        }
        this.brightness = brightness;
        this.contrast = contrast;
        this.saturation = saturation;
    }

    @Override
    public FloatImage apply(FloatImage image, RandomGenerator rng) {
        int[] order = {0, 1, 2};
        for (int i = order.length - 1; i > 0; i--) { // Fisher-Yates: torch.randperm
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        double b = factor(rng, brightness), c = factor(rng, contrast), s = factor(rng, saturation);
        FloatImage img = image;
        for (int op : order) {
            img = switch (op) {
                case 0 -> brightness > 0 ? adjustBrightness(img, b) : img;
                case 1 -> contrast > 0 ? adjustContrast(img, c) : img;
                default -> saturation > 0 ? adjustSaturation(img, s) : img;
            };
        }
        return img;
    }

    private static double factor(RandomGenerator rng, double strength) {
        return RandomResizedCrop.uniform(rng, Math.max(0, 1 - strength), 1 + strength);
    }

    /** torchvision {@code adjust_brightness}: blend with black. */
    public static FloatImage adjustBrightness(FloatImage img, double f) {
        float[] src = img.data();
        float[] dst = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            dst[i] = clamp((float) f * src[i]);
        }
        return new FloatImage(img.channels(), img.height(), img.width(), dst);
    }

    /** torchvision {@code adjust_contrast}: blend with the mean of the grey image. */
    public static FloatImage adjustContrast(FloatImage img, double f) {
        float[] grey = grey(img);
        double sum = 0;
        for (float g : grey) {
            sum += g;
        }
        float mean = (float) (sum / grey.length);
        float[] src = img.data();
        float[] dst = new float[src.length];
        for (int i = 0; i < src.length; i++) {
            dst[i] = blend(src[i], mean, f);
        }
        return new FloatImage(img.channels(), img.height(), img.width(), dst);
    }

    /** torchvision {@code adjust_saturation}: blend with the grey image; identity on one channel. */
    public static FloatImage adjustSaturation(FloatImage img, double f) {
        if (img.channels() == 1) {
            return img;
        }
        float[] grey = grey(img);
        float[] src = img.data();
        float[] dst = new float[src.length];
        int plane = grey.length;
        for (int i = 0; i < src.length; i++) {
            dst[i] = blend(src[i], grey[i % plane], f);
        }
        return new FloatImage(img.channels(), img.height(), img.width(), dst);
    }

    /** One grey plane: the channel itself for 1 channel, ITU-R 601-2 luma for RGB. */
    static float[] grey(FloatImage img) {
        int plane = img.height() * img.width();
        float[] d = img.data();
        if (img.channels() == 1) {
            return d;
        }
        if (img.channels() != 3) {
            throw new IllegalArgumentException("ColorJitter needs 1 or 3 channels, got " + img.channels());
        }
        float[] g = new float[plane];
        for (int i = 0; i < plane; i++) {
            g[i] = 0.299f * d[i] + 0.587f * d[plane + i] + 0.114f * d[2 * plane + i];
        }
        return g;
    }

    private static float blend(float x, float other, double f) {
        return clamp((float) f * x + (float) (1 - f) * other);
    }

    private static float clamp(float v) { return Math.min(1f, Math.max(0f, v)); }

    @Override
    public String toString() {
        return "ColorJitter(brightness=" + Fmt.num(brightness) + ", contrast=" + Fmt.num(contrast)
                + ", saturation=" + Fmt.num(saturation) + ")";
    }
}
