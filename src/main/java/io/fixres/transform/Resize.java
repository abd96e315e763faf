package io.fixres.transform;

import java.util.random.RandomGenerator;

/**
 * torchvision {@code Resize} with antialiased bilinear interpolation ({@link BilinearResampler}).
 * Returns the input untouched when it already has the target size.
 */
public final class Resize implements Transform {
    private final ResizeMode mode; // null: exact size
    private final int size;
    private final int exactH;
    private final int exactW;

    private Resize(ResizeMode mode, int size, int exactH, int exactW) {
        this.mode = mode;
        this.size = size;
        this.exactH = exactH;
        this.exactW = exactW;
    }

    /** Shorter side to {@code size}, longer side {@code int(size * long / short)} (torchvision truncates). */
    public static Resize shorterSide(int size) { return of(ResizeMode.SHORTER_SIDE, size); }

    /** Height to {@code size}, width {@code int(size * W / H)}: the FixRes authors' test resize. */
    public static Resize height(int size) { return of(ResizeMode.HEIGHT, size); }

    public static Resize of(ResizeMode mode, int size) {
        requirePositive("resize size", size);
        return new Resize(mode, size, 0, 0);
    }

    public static Resize exact(int height, int width) {
        requirePositive("resize height", height);
        requirePositive("resize width", width);
        return new Resize(null, 0, height, width);
    }

    /** The (height, width) this transform produces from an {@code h x w} image. */
    public int[] outputSize(int h, int w) {
        if (mode == null) {
            return new int[] {exactH, exactW};
        }
        if (mode == ResizeMode.HEIGHT) {
            return new int[] {size, scaled(size, w, h)};
        }
        return h <= w ? new int[] {size, scaled(size, w, h)} : new int[] {scaled(size, h, w), size};
    }

    /** Python's {@code int(size * other / side)}: truncation of the true quotient, at least 1. */
    private static int scaled(int size, int other, int side) {
        return Math.max(1, (int) ((double) ((long) size * other) / side));
    }

    @Override
    public FloatImage apply(FloatImage image, RandomGenerator rng) {
        int[] hw = outputSize(image.height(), image.width());
        return BilinearResampler.resize(image, hw[0], hw[1]);
    }

    @Override
    public String toString() {
        String target = mode == null ? "(" + exactH + ", " + exactW + ")"
                : mode == ResizeMode.SHORTER_SIDE ? String.valueOf(size) : size + ", side=height";
        return "Resize(size=" + target + ", interpolation=bilinear, antialias=True)";
    }

    static void requirePositive(String what, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + v);
        }
    }
}
