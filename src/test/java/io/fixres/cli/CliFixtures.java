package io.fixres.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** The gzipped IDX directory the CLI tests read (checkpoints: testing.TinyModels; runs: testing.CliRun). */
final class CliFixtures {
    private CliFixtures() {}

    /** An IDX directory of {@code n} train and {@code n} test 28x28 images, labels i % 10. */
    static Path idxDirectory(Path dir, int n) throws IOException {
        for (String split : new String[] {"train", "t10k"}) {
            byte[] pixels = new byte[n * 28 * 28];
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                labels[i] = (byte) (i % 10);
                for (int p = 0; p < 28 * 28; p++) {
                    pixels[i * 784 + p] = (byte) ((p / 28 + p % 28 + 25 * i) % 256);
                }
            }
            write(dir.resolve(split + "-images-idx3-ubyte.gz"), 0x803, new int[] {n, 28, 28}, pixels);
            write(dir.resolve(split + "-labels-idx1-ubyte.gz"), 0x801, new int[] {n}, labels);
        }
        return dir;
    }

    private static void write(Path file, int magic, int[] dims, byte[] payload) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(io.fixres.testing.TinyDatasets.idx(magic, dims, payload));
        }
    }
}
