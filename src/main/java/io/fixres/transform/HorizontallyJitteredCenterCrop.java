package io.fixres.transform;

import java.util.random.RandomGenerator;

/**
 * The FixRes authors' "test DA2" crop: a {@link CenterCrop} whose horizontal offset is moved by a
 * uniform integer in [-j, j], j being the horizontal margin (the centred left offset); the result
 * is clamped inside the image. The vertical offset stays centred.
 */
public final class HorizontallyJitteredCenterCrop implements Transform {
    private final int size;

    public HorizontallyJitteredCenterCrop(int size) {
        Resize.requirePositive("crop size", size);
        this.size = size;
    }

    @Override
    public FloatImage apply(FloatImage image, RandomGenerator rng) {
        FloatImage img = CenterCrop.padToFit(image, size, size);
        int top = CenterCrop.centredOffset(img.height(), size);
        int margin = CenterCrop.centredOffset(img.width(), size);
        int left = margin + rng.nextInt(2 * margin + 1) - margin;
        left = Math.max(0, Math.min(left, img.width() - size));
        return img.crop(top, left, size, size);
    }

    @Override
    public String toString() { return "HorizontallyJitteredCenterCrop(size=" + size + ")"; }
}
