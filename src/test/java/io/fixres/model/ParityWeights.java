package io.fixres.model;

import java.nio.charset.StandardCharsets;

/**
 * The portable pseudo-random weights of tools/make_parity_fixtures.py, bit for bit: the resnet18
 * fixture's 11M weights are regenerated here instead of being committed (45 MB). Per state-dict
 * key, splitmix64 seeded with fnv1a64(key) ^ seed gives uniforms u = top 24 bits * 2^-24; each
 * kind of tensor maps them in float64, rounded once to float32 (same IEEE operations as NumPy).
 */
final class ParityWeights {
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private ParityWeights() {}

    static long fnv1a64(String text) {
        long h = 0xCBF29CE484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001B3L;
        }
        return h;
    }

    /** The k-th (1-based) uniform of the stream seeded with {@code seed}. */
    static double uniform(long seed, long k) {
        long z = seed + k * GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 40) * 0x1.0p-24;
    }

    /** The values of state-dict entry {@code key} of the given shape, row-major. */
    static float[] tensor(String key, long[] shape, long seed) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        long streamSeed = fnv1a64(key) ^ seed;
        float[] out = new float[Math.toIntExact(n)];
        for (int i = 0; i < out.length; i++) {
            double u = uniform(streamSeed, i + 1);
            out[i] = (float) value(key, shape, u);
        }
        return out;
    }

    private static double value(String key, long[] shape, double u) {
        if (key.endsWith(".weight") && shape.length >= 2) { // conv or fc: Kaiming-uniform bound sqrt(6 / fan_in)
            long fanIn = 1;
            for (int d = 1; d < shape.length; d++) {
                fanIn *= shape[d];
            }
            return (2.0 * u - 1.0) * Math.sqrt(6.0 / fanIn);
        }
        if (key.endsWith(".weight")) { // BatchNorm gamma
            return 0.5 + 0.5 * u;
        }
        if (key.endsWith(".bias") || key.endsWith(".running_mean")) {
            return 0.1 * (2.0 * u - 1.0);
        }
        if (key.endsWith(".running_var")) {
            return 0.5 + u;
        }
        throw new IllegalArgumentException("no generator rule for " + key);
    }
}
