package io.fixres.transform;

import java.util.random.RandomGenerator;

/** torchvision {@code Normalize}: {@code (x - mean[c]) / std[c]} per channel, into a new image. */
public final class Normalize implements Transform {
    private final Normalization norm;

    public Normalize(float[] mean, float[] std) { this(new Normalization(mean, std)); }

    public Normalize(Normalization norm) { this.norm = norm; }

    @Override
    public FloatImage apply(FloatImage image, RandomGenerator rng) {
        if (image.channels() != norm.channels()) {
            throw new IllegalArgumentException("Normalize has statistics for " + norm.channels()
                    + " channel(s) but the image has " + image.channels() + " (" + image
                    + "); use the normalization of the dataset the model was trained on");
        }
        float[] mean = norm.mean(), std = norm.std();
        float[] src = image.data();
        float[] dst = new float[src.length];
        int plane = image.height() * image.width();
        for (int i = 0; i < src.length; i++) {
            int c = i / plane;
            dst[i] = (src[i] - mean[c]) / std[c];
        }
        return new FloatImage(image.channels(), image.height(), image.width(), dst);
    }

    @Override
    public String toString() { return "Normalize(mean=" + Fmt.floats(norm.mean()) + ", std=" + Fmt.floats(norm.std()) + ")"; }
}
