package io.fixres.transform;

import java.util.random.RandomGenerator;

/**
 * torchvision {@code CenterCrop}: offsets {@code int(round((H - h) / 2))} with Python's
 * round-half-to-even; a crop larger than the image is zero-padded first, the extra pixel of an
 * odd padding going right/bottom.
 */
public final class CenterCrop implements Transform {
    private final int cropH;
    private final int cropW;

    public CenterCrop(int size) { this(size, size); }

    public CenterCrop(int height, int width) {
        Resize.requirePositive("crop height", height);
        Resize.requirePositive("crop width", width);
        this.cropH = height;
        this.cropW = width;
    }

    @Override
    public FloatImage apply(FloatImage image, RandomGenerator rng) {
        FloatImage img = padToFit(image, cropH, cropW);
        return img.crop(centredOffset(img.height(), cropH), centredOffset(img.width(), cropW), cropH, cropW);
    }

    /** {@code int(round((imageSize - cropSize) / 2.0))}, Python rounding (27 -> 24 gives 2, 26 -> 24 gives 1). */
    static int centredOffset(int imageSize, int cropSize) {
        return (int) Math.rint((imageSize - cropSize) / 2.0);
    }

    /** torchvision's pre-crop padding: left/top get half the deficit (floored), right/bottom the rest. */
    static FloatImage padToFit(FloatImage img, int cropH, int cropW) {
        int dh = Math.max(0, cropH - img.height());
        int dw = Math.max(0, cropW - img.width());
        return img.zeroPadded(dw / 2, dh / 2, (dw + 1) / 2, (dh + 1) / 2);
    }

    @Override
    public String toString() { return "CenterCrop(size=(" + cropH + ", " + cropW + "))"; }
}
