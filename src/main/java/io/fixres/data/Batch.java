package io.fixres.data;

/**
 * A dense batch ready to copy into an NDArray of shape {@link #shape()}.
 *
 * @param data     the images, N x C x H x W, exactly {@code size*channels*height*width} floats
 * @param labels   class index of each image
 * @param size     N, the number of images (smaller than the batch size for the last batch, or
 *                 when bad images were skipped)
 * @param indices  dataset index of each image, for tracing results back to files
 */
public record Batch(float[] data, int[] labels, int size, int channels, int height, int width, int[] indices) {
    public Batch {
        if (labels.length != size || indices.length != size
                || data.length != (long) size * channels * height * width) {
            throw new IllegalArgumentException("inconsistent batch: " + size + " images of " + channels + "x"
                    + height + "x" + width + " but " + data.length + " floats, " + labels.length + " labels, "
                    + indices.length + " indices");
        }
    }

    /** {N, C, H, W}. */
    public long[] shape() {
        return new long[] {size, channels, height, width};
    }
}
