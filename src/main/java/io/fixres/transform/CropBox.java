package io.fixres.transform;

/** A crop window in pixel coordinates of the image it was sampled for (torchvision's i, j, h, w). */
public record CropBox(int top, int left, int height, int width) {
    public CropBox {
        if (top < 0 || left < 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("invalid crop box: top=" + top + ", left=" + left
                    + ", height=" + height + ", width=" + width);
        }
    }
}
