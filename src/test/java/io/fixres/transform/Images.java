package io.fixres.transform;

import java.util.SplittableRandom;

/** Small test images. */
final class Images {
    private Images() {}

    /** Pixel value = 100 * c + 10 * y + x: every pixel says where it came from. */
    static FloatImage indexed(int c, int h, int w) {
        float[] d = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    d[(ch * h + y) * w + x] = 100 * ch + 10 * y + x;
                }
            }
        }
        return new FloatImage(c, h, w, d);
    }

    static FloatImage of(int c, int h, int w, float... values) { return new FloatImage(c, h, w, values); }

    static FloatImage random(int c, int h, int w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[c * h * w];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextDouble();
        }
        return new FloatImage(c, h, w, d);
    }
}
