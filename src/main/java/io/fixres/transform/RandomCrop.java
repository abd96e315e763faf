package io.fixres.transform;

import java.util.random.RandomGenerator;

/**
 * torchvision {@code RandomCrop(size, padding, pad_if_needed=True, fill=0)}: zero-pad
 * {@code padding} pixels on every side, pad further if the image is still smaller than the crop
 * (torchvision adds the whole deficit on both sides), then take a {@code size x size} window at a
 * uniformly random position.
 */
public final class RandomCrop implements Transform {
    private final int size;
    private final int padding;

    public RandomCrop(int size, int padding) {
        Resize.requirePositive("RandomCrop size", size);
        if (padding < 0) {
            throw new IllegalArgumentException("RandomCrop padding must be >= 0, got " + padding);
        }
        this.size = size;
        this.padding = padding;
    }

    @Override
    public FloatImage apply(FloatImage image, RandomGenerator rng) {
        FloatImage img = image.zeroPadded(padding, padding, padding, padding);
        int dw = Math.max(0, size - img.width());
        int dh = Math.max(0, size - img.height());
        img = img.zeroPadded(dw, dh, dw, dh);
        int top = rng.nextInt(img.height() - size + 1);
        int left = rng.nextInt(img.width() - size + 1);
        return img.crop(top, left, size, size);
    }

    @Override
    public String toString() { return "RandomCrop(size=(" + size + ", " + size + "), padding=" + padding + ")"; }
}
