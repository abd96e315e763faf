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

    /** The {@code h x w} window at ({@code top}, {@code left}); it must lie inside the image. */
    public FloatImage crop(int top, int left, int h, int w) {
        if (top < 0 || left < 0 || h <= 0 || w <= 0 || top + h > height || left + w > width) {
            throw new IllegalArgumentException("crop (top=" + top + ", left=" + left + ", h=" + h
                    + ", w=" + w + ") is not inside a " + height + "x" + width + " image");
        }
        float[] out = new float[channels * h * w];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(data, (c * height + top + y) * width + left, out, (c * h + y) * w, w);
            }
        }
        return new FloatImage(channels, h, w, out);
    }

    /** The window described by {@code box}. */
    public FloatImage crop(CropBox box) { return crop(box.top(), box.left(), box.height(), box.width()); }

    /** This image surrounded by zeros: torchvision {@code F.pad(img, [left, top, right, bottom], fill=0)}. */
    public FloatImage zeroPadded(int left, int top, int right, int bottom) {
        if (left < 0 || top < 0 || right < 0 || bottom < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got left=" + left + ", top=" + top
                    + ", right=" + right + ", bottom=" + bottom);
        }
        if (left == 0 && top == 0 && right == 0 && bottom == 0) {
            return this;
        }
        int h = height + top + bottom;
        int w = width + left + right;
        float[] out = new float[channels * h * w];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                System.arraycopy(data, (c * height + y) * width, out, (c * h + top + y) * w + left, width);
            }
        }
        return new FloatImage(channels, h, w, out);
    }

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
