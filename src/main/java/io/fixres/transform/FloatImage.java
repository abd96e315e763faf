package io.fixres.transform;

import java.util.Arrays;

/**
 * A planar (channels x height x width) float image, the unit every transform works on.
 *
 * <p>Values are in [0, 1] until {@link Normalize} runs (torchvision's ToTensor convention).
 * Plain Java arrays rather than NDArrays: transforms run on decoder threads, need no native
 * memory, and are cheap at the 28-500 px sizes this tool sees.
 */
public final class FloatImage {
    private final int channels;
    private final int height;
    private final int width;
    private final float[] data;

    public FloatImage(int channels, int height, int width, float[] data) {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    "image size must be positive, got " + channels + "x" + height + "x" + width);
        }
        if (data.length != channels * height * width) {
            throw new IllegalArgumentException(
                    "data length " + data.length + " != " + channels + "*" + height + "*" + width);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.data = data;
    }

    public static FloatImage zeros(int channels, int height, int width) {
        return new FloatImage(channels, height, width, new float[channels * height * width]);
    }

    public int channels() { return channels; }
    public int height() { return height; }
    public int width() { return width; }

    /** The backing array, CHW order; shared, not copied. */
    public float[] data() { return data; }

    public float get(int c, int y, int x) { return data[(c * height + y) * width + x]; }

    public void set(int c, int y, int x, float v) { data[(c * height + y) * width + x] = v; }

    public FloatImage copy() { return new FloatImage(channels, height, width, data.clone()); }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatImage f && f.channels == channels && f.height == height
                && f.width == width && Arrays.equals(f.data, data);
    }

    @Override
    public int hashCode() { return Arrays.hashCode(data) * 31 + (channels * 31 + height) * 31 + width; }

    @Override
    public String toString() { return "FloatImage[" + channels + "x" + height + "x" + width + "]"; }
}
