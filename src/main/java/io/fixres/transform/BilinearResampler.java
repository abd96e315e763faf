package io.fixres.transform;

/**
 * Antialiased bilinear resize, the kernel of torch {@code F.interpolate(mode='bilinear',
 * antialias=True, align_corners=False)} (= torchvision's tensor Resize, = PIL's BILINEAR).
 *
 * <p>Separable: a triangle filter per axis. When downscaling by a factor s the filter is
 * widened to support s, so each output pixel averages all the input pixels it covers (that is
 * the antialiasing: 4 -> 2 is the mean of pairs); when upscaling it is plain bilinear with
 * half-pixel centres. Weights are normalised to sum 1, which also handles the borders. Like
 * libtorch, the horizontal pass runs first and an axis whose size does not change is skipped.
 * Arithmetic mirrors libtorch's float kernel (weights and sums in float).
 */
public final class BilinearResampler {
    private BilinearResampler() {}

    /** {@code in} resized to {@code outH x outW}; returns {@code in} itself when the size already matches. */
    public static FloatImage resize(FloatImage in, int outH, int outW) {
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("resize target must be positive, got " + outH + "x" + outW);
        }
        FloatImage img = in;
        if (img.width() != outW) {
            img = resizeWidth(img, Taps.of(img.width(), outW));
        }
        if (img.height() != outH) {
            img = resizeHeight(img, Taps.of(img.height(), outH));
        }
        return img;
    }

    private static FloatImage resizeWidth(FloatImage in, Taps taps) {
        int c = in.channels(), h = in.height(), w = in.width(), outW = taps.outSize;
        float[] src = in.data();
        float[] dst = new float[c * h * outW];
        for (int row = 0; row < c * h; row++) {
            int srcRow = row * w, dstRow = row * outW;
            for (int x = 0; x < outW; x++) {
                dst[dstRow + x] = taps.apply(x, src, srcRow, 1);
            }
        }
        return new FloatImage(c, h, outW, dst);
    }

    private static FloatImage resizeHeight(FloatImage in, Taps taps) {
        int c = in.channels(), h = in.height(), w = in.width(), outH = taps.outSize;
        float[] src = in.data();
        float[] dst = new float[c * outH * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < outH; y++) {
                int dstRow = (ch * outH + y) * w;
                for (int x = 0; x < w; x++) {
                    dst[dstRow + x] = taps.apply(y, src, ch * h * w + x, w);
                }
            }
        }
        return new FloatImage(c, outH, w, dst);
    }

    /** Per output index: the first input index, the number of taps and their normalised weights. */
    static final class Taps {
        final int outSize;
        final int maxTaps;
        final int[] first;
        final int[] count;
        final float[] weights; // outSize x maxTaps

        private Taps(int outSize, int maxTaps) {
            this.outSize = outSize;
            this.maxTaps = maxTaps;
            this.first = new int[outSize];
            this.count = new int[outSize];
            this.weights = new float[outSize * maxTaps];
        }

        /** libtorch's {@code _compute_weights_aa} with the bilinear (triangle) filter. */
        static Taps of(int inSize, int outSize) {
            float scale = (float) inSize / (float) outSize;
            float support = scale >= 1f ? scale : 1f; // interp_size / 2 * scale, interp_size = 2
            float invScale = scale >= 1f ? 1f / scale : 1f;
            Taps t = new Taps(outSize, (int) Math.ceil(support) * 2 + 1);
            for (int i = 0; i < outSize; i++) {
                float center = (float) (scale * (i + 0.5));
                int xmin = Math.max((int) (center - support + 0.5), 0);
                int xsize = Math.min((int) (center + support + 0.5), inSize) - xmin;
                xsize = Math.max(0, Math.min(xsize, t.maxTaps));
                float total = 0f;
                int base = i * t.maxTaps;
                for (int j = 0; j < xsize; j++) {
                    float w = triangle((float) ((j + xmin - center + 0.5) * invScale));
                    t.weights[base + j] = w;
                    total += w;
                }
                if (total != 0f) {
                    for (int j = 0; j < xsize; j++) {
                        t.weights[base + j] /= total;
                    }
                }
                t.first[i] = xmin;
                t.count[i] = xsize;
            }
            return t;
        }

        private static float triangle(float x) {
            float a = Math.abs(x);
            return a < 1f ? 1f - a : 0f;
        }

        /** Weighted sum for output index {@code i}, reading {@code src[offset + (first + j) * stride]}. */
        float apply(int i, float[] src, int offset, int stride) {
            int base = i * maxTaps;
            int pos = offset + first[i] * stride;
            float sum = 0f;
            for (int j = 0; j < count[i]; j++, pos += stride) {
                sum += src[pos] * weights[base + j];
            }
            return sum;
        }
    }
}
