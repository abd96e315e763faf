package io.fixres.data;

import io.fixres.io.InvalidParameterException;

/**
 * The largest image, in pixels, that decoding accepts; the size is read from the file's header,
 * before any pixel is decoded. A small compressed file can claim an enormous image (a 249 KB PNG
 * of 16000x16000 pixels decodes to 1 GB of pixels, 3 GB as floats), so, like PIL's
 * {@code Image.MAX_IMAGE_PIXELS}, the limit is process-wide and has the same default.
 */
public final class ImageLimits {
    /** PIL's default {@code MAX_IMAGE_PIXELS}: 1024 * 1024 * 1024 / 4 / 3. */
    public static final long DEFAULT_MAX_PIXELS = 178_956_970L;

    private static volatile long maxPixels = DEFAULT_MAX_PIXELS;

    private ImageLimits() {}

    /** The current limit. */
    public static long maxPixels() { return maxPixels; }

    /** Sets the limit for every decoder thread from now on. */
    public static void setMaxPixels(long pixels) {
        InvalidParameterException.require(pixels >= 1, "maximum image pixels", "must be >= 1", pixels);
        maxPixels = pixels;
    }
}
