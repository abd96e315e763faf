package io.fixres.model;

/**
 * Kernel, stride and padding of a square sliding-window layer (convolution or pooling, no
 * dilation, floor mode), and the output size it gives: floor((n + 2p - k) / s) + 1.
 */
public record SpatialGeometry(int kernel, int stride, int padding) {

    public SpatialGeometry {
        if (kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException(
                    "bad window geometry: kernel " + kernel + ", stride " + stride + ", padding " + padding);
        }
    }

    /** Output side for an input side n; a value below 1 means the input is too small. */
    public int outputSize(int n) {
        return Math.floorDiv(n + 2 * padding - kernel, stride) + 1;
    }

    /** "7x7/2" style label used by {@link ResNet#describe(int)}. */
    public String label() {
        return kernel + "x" + kernel + "/" + stride;
    }
}
