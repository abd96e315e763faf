package io.fixres.transform;

import java.util.Arrays;

/** Per-channel mean and standard deviation used by {@link Normalize}. Arrays are copied in and out. */
public record Normalization(float[] mean, float[] std) {
    /** torchvision's ImageNet statistics (RGB). */
    public static final Normalization IMAGENET =
            new Normalization(new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
    /** Fashion-MNIST training-set statistics (one grey channel). */
    public static final Normalization FASHION_MNIST = new Normalization(new float[] {0.2860f}, new float[] {0.3530f});

    public Normalization {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("normalization needs one mean and one std per channel, got "
                    + mean.length + " means and " + std.length + " stds");
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("normalization std must be > 0, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public float[] mean() { return mean.clone(); }

    @Override
    public float[] std() { return std.clone(); }

    public int channels() { return mean.length; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(n.mean, mean) && Arrays.equals(n.std, std);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std); }

    @Override
    public String toString() { return "Normalization(mean=" + Fmt.floats(mean) + ", std=" + Fmt.floats(std) + ")"; }
}
