package io.fixres.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Small learnable datasets written in the real formats, for end-to-end tests that must not
 * depend on Fashion-MNIST being installed.
 */
public final class TinyDatasets {
    private TinyDatasets() {}

    /**
     * Writes an MNIST-layout IDX directory (raw, not gzipped) of 28x28 images in {@code classes}
     * classes: class k is a bright horizontal bar at a class-specific height plus noise, so a
     * small network learns it in one epoch.
     */
    public static Path idxDirectory(Path dir, int nTrain, int nTest, int classes, long seed) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom rng = new SplittableRandom(seed);
        writeSplit(dir, "train", nTrain, classes, rng);
        writeSplit(dir, "t10k", nTest, classes, rng);
        return dir;
    }

    private static void writeSplit(Path dir, String prefix, int n, int classes, SplittableRandom rng) throws IOException {
        int side = 28;
        byte[] pixels = new byte[n * side * side];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int label = i % classes;
            labels[i] = (byte) label;
            int barTop = 3 + label * (side - 8) / Math.max(1, classes - 1);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int value = rng.nextInt(40);
                    if (y >= barTop && y < barTop + 3 && x >= 4 && x < side - 4) {
                        value += 200;
                    }
                    pixels[(i * side + y) * side + x] = (byte) Math.min(255, value);
                }
            }
        }
        writeIdxSplit(dir, prefix, side, pixels, labels);
    }

    /** Writes {@code prefix}-images-idx3-ubyte and {@code prefix}-labels-idx1-ubyte (raw) for n square images. */
    public static void writeIdxSplit(Path dir, String prefix, int side, byte[] pixels, byte[] labels) throws IOException {
        int n = labels.length;
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), idx(0x803, new int[] {n, side, side}, pixels));
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), idx(0x801, new int[] {n}, labels));
    }

    /** An IDX file: magic, dimensions, payload (big-endian, as the MNIST format defines). */
    public static byte[] idx(int magic, int[] dims, byte[] payload) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(payload);
        return bytes.toByteArray();
    }
}
