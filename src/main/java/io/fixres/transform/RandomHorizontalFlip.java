package io.fixres.transform;

import java.util.random.RandomGenerator;

/** torchvision {@code RandomHorizontalFlip(p)}: mirrors left-right when {@code U(0,1) < p} (one draw per image). */
public final class RandomHorizontalFlip implements Transform {
    private final double p;

    public RandomHorizontalFlip(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("flip probability must be in [0, 1], got " + p);
        }
        this.p = p;
    }

    @Override
    public FloatImage apply(FloatImage image, RandomGenerator rng) {
        return rng.nextDouble() < p ? flip(image) : image;
    }

    /** A new image, mirrored left-right. */
    public static FloatImage flip(FloatImage in) {
        int w = in.width();
        float[] src = in.data();
        float[] dst = new float[src.length];
        for (int row = 0; row < in.channels() * in.height(); row++) {
            int base = row * w;
            for (int x = 0; x < w; x++) {
                dst[base + x] = src[base + w - 1 - x];
            }
        }
        return new FloatImage(in.channels(), in.height(), w, dst);
    }

    @Override
    public String toString() { return "RandomHorizontalFlip(p=" + Fmt.num(p) + ")"; }
}
