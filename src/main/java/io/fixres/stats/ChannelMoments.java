package io.fixres.stats;

import java.util.Arrays;

/**
 * Streaming per-channel mean and variance of activations laid out {@code N x C x spatial}
 * ({@code spatial = H * W}, or 1 for {@code N x C}), for the Gaussian matching of supplement A.2.
 * Each batch is reduced with a two-pass mean/variance in double and folded in with Chan et al.'s
 * parallel update, which is also what {@link #merge} uses: feeding batches to one instance or to
 * several merged ones gives the same result.
 */
public final class ChannelMoments implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final int channels;
    private long count;
    private final double[] mean;
    private final double[] m2;

    public ChannelMoments(int channels) {
        if (channels <= 0) {
            throw new IllegalArgumentException("channel count must be positive, got " + channels);
        }
        this.channels = channels;
        this.mean = new double[channels];
        this.m2 = new double[channels];
    }

    public int channels() { return channels; }

    /** An independent copy (merging into it leaves this one alone). */
    public ChannelMoments copy() {
        return new ChannelMoments(channels).merge(this);
    }

    /** Values seen per channel. */
    public long count() { return count; }

    /**
     * Adds a batch of {@code n} samples, each {@code c} channels of {@code spatial} values.
     */
    public ChannelMoments add(float[] data, int n, int c, int spatial) {
        if (c != channels) {
            throw new IllegalArgumentException("expected " + channels + " channels, got " + c);
        }
        if (n < 0 || spatial <= 0 || data.length != (long) n * c * spatial) {
            throw new IllegalArgumentException("data length " + data.length + " != N*C*spatial = "
                    + n + "*" + c + "*" + spatial);
        }
        long batchCount = (long) n * spatial;
        if (batchCount == 0) {
            return this;
        }
        for (int ch = 0; ch < channels; ch++) {
            double sum = 0;
            for (int s = 0; s < n; s++) {
                int base = (s * c + ch) * spatial;
                for (int k = 0; k < spatial; k++) {
                    sum += data[base + k];
                }
            }
            double batchMean = sum / batchCount;
            double batchM2 = 0;
            for (int s = 0; s < n; s++) {
                int base = (s * c + ch) * spatial;
                for (int k = 0; k < spatial; k++) {
                    double d = data[base + k] - batchMean;
                    batchM2 += d * d;
                }
            }
            combine(ch, batchCount, batchMean, batchM2);
        }
        count += batchCount;
        return this;
    }

    /**
     * Folds in a batch already reduced elsewhere (e.g. on the engine, so activations never leave
     * it): {@code count} values per channel with per-channel {@code mean} and sum of squared
     * deviations {@code m2}. Same result as {@link #add} on the batch itself.
     */
    public ChannelMoments addReduced(long count, double[] mean, double[] m2) {
        if (mean.length != channels || m2.length != channels) {
            throw new IllegalArgumentException("expected " + channels + " channel means and M2s, got "
                    + mean.length + " and " + m2.length);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        if (count == 0) {
            return this;
        }
        for (int ch = 0; ch < channels; ch++) {
            if (!(m2[ch] >= 0) || !Double.isFinite(mean[ch])) {
                throw new IllegalArgumentException("channel " + ch + ": mean must be finite and M2 >= 0, got mean="
                        + mean[ch] + ", M2=" + m2[ch]);
            }
            combine(ch, count, mean[ch], m2[ch]);
        }
        this.count += count;
        return this;
    }

    /** Folds {@code other}'s statistics into this one. */
    public ChannelMoments merge(ChannelMoments other) {
        if (other.channels != channels) {
            throw new IllegalArgumentException(
                    "cannot merge " + other.channels + " channels into " + channels);
        }
        if (other.count == 0) {
            return this;
        }
        for (int ch = 0; ch < channels; ch++) {
            combine(ch, other.count, other.mean[ch], other.m2[ch]);
        }
        count += other.count;
        return this;
    }

    /** Chan et al.: merges (nB, meanB, m2B) into channel ch; count is updated by the caller. */
    private void combine(int ch, long nB, double meanB, double m2B) {
        long nA = count;
        long total = nA + nB;
        double delta = meanB - mean[ch];
        mean[ch] += delta * nB / total;
        m2[ch] += m2B + delta * delta * ((double) nA * nB / total);
    }

    public double[] mean() {
        requireData();
        return mean.clone();
    }

    /** Population variance (divides by the count), as BatchNorm's normalisation does. */
    public double[] variance() {
        requireData();
        double[] v = new double[channels];
        for (int ch = 0; ch < channels; ch++) {
            v[ch] = m2[ch] / count;
        }
        return v;
    }

    /** Population standard deviation. */
    public double[] std() {
        return Arrays.stream(variance()).map(Math::sqrt).toArray();
    }

    private void requireData() {
        if (count == 0) {
            throw new IllegalStateException("no activations were added to these channel moments");
        }
    }
}
