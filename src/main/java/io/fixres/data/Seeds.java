package io.fixres.data;

/**
 * Seed derivation and permutations spelled out here (SplitMix64, Steele et al. 2014) rather
 * than taken from {@code java.util.Random}/{@code Collections.shuffle}, so that subsets and
 * shuffle orders are a documented function of the seed, not of the JDK version.
 */
public final class Seeds {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private Seeds() {}

    /** One well-mixed 64-bit seed from a tuple, e.g. {@code (seed, epoch, sampleIndex)}; order matters. */
    public static long mix(long... values) {
        long h = 0;
        for (long v : values) {
            h = mix64(h + GOLDEN_GAMMA + v);
        }
        return h;
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates driven by SplitMix64). */
    public static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        long state = seed;
        for (int i = n - 1; i > 0; i--) {
            state += GOLDEN_GAMMA;
            // 31 random bits times the bound, top bits kept: uniform in [0, i] up to 2^-31 bias.
            int j = (int) (((mix64(state) >>> 33) * (i + 1)) >>> 31);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** SplitMix64's output function (Stafford's variant 13). */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
