package io.fixres.stats;

/**
 * Per-channel Gaussian matching of the activations before the last ReLU (supplement A.2,
 * Table 4): each channel measured at the test resolution (mean {@code m_0}, std {@code s_0}) is
 * mapped affinely onto its train-resolution statistics ({@code m_ref}, {@code s_ref}):
 *
 * <pre>x -&gt; x * scale_c + shift_c,  scale_c = s_ref / s_0,  shift_c = m_ref - m_0 * scale_c</pre>
 *
 * <p>A channel with {@code s_0 = 0} (constant at test time) keeps {@code scale = 1} and is only
 * shifted. On an NDArray of shape (N, C, H, W) apply it as {@code x * scale + shift} with both
 * reshaped to (1, C, 1, 1).
 */
public final class GaussianChannelAdaptation {
    private final float[] scale;
    private final float[] shift;

    private GaussianChannelAdaptation(float[] scale, float[] shift) {
        this.scale = scale;
        this.shift = shift;
    }

    /**
     * @param reference statistics at the train resolution
     * @param measured  statistics at the test resolution
     */
    public static GaussianChannelAdaptation between(ChannelMoments reference, ChannelMoments measured) {
        return of(reference.mean(), reference.std(), measured.mean(), measured.std());
    }

    public static GaussianChannelAdaptation of(double[] meanRef, double[] stdRef,
                                               double[] mean0, double[] std0) {
        int c = meanRef.length;
        if (stdRef.length != c || mean0.length != c || std0.length != c) {
            throw new IllegalArgumentException("channel counts differ: mean_ref " + c + ", std_ref "
                    + stdRef.length + ", mean_0 " + mean0.length + ", std_0 " + std0.length);
        }
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int ch = 0; ch < c; ch++) {
            if (!(stdRef[ch] >= 0) || !(std0[ch] >= 0)) {
                throw new IllegalArgumentException("channel " + ch + ": standard deviations must be "
                        + ">= 0, got std_ref=" + stdRef[ch] + ", std_0=" + std0[ch]);
            }
            double s = std0[ch] == 0 ? 1 : stdRef[ch] / std0[ch];
            scale[ch] = (float) s;
            shift[ch] = (float) (meanRef[ch] - mean0[ch] * s);
        }
        return new GaussianChannelAdaptation(scale, shift);
    }

    public int channels() { return scale.length; }

    public float[] scale() { return scale.clone(); }

    public float[] shift() { return shift.clone(); }

    /** Maps {@code data} ({@code N x C x spatial}) in place and returns it. */
    public float[] applyInPlace(float[] data, int n, int c, int spatial) {
        if (c != scale.length) {
            throw new IllegalArgumentException("expected " + scale.length + " channels, got " + c);
        }
        if (n < 0 || spatial <= 0 || data.length != (long) n * c * spatial) {
            throw new IllegalArgumentException("data length " + data.length + " != N*C*spatial = "
                    + n + "*" + c + "*" + spatial);
        }
        for (int s = 0; s < n; s++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (s * c + ch) * spatial;
                for (int k = 0; k < spatial; k++) {
                    data[base + k] = data[base + k] * scale[ch] + shift[ch];
                }
            }
        }
        return data;
    }
}
