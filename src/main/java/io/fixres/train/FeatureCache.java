package io.fixres.train;

import io.fixres.io.InvalidParameterException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The pooled features (N x C) and labels of the fine-tuning images, computed once by the feature
 * pass of the one-pass FixRes step and read by every epoch of the classifier fit. Features are
 * kept in chunks of {@link #CHUNK_ROWS} rows: in memory while the cache stays under its memory
 * budget, else written to files under a spill directory (deleted on {@link #close()}); optionally
 * as IEEE half precision (half the size, a relative error below 5e-4).
 */
public final class FeatureCache implements AutoCloseable {
    static final int CHUNK_ROWS = 4096;

    private final int channels;
    private final boolean half;
    private final long memoryBudgetBytes;
    private final Path spillDir;
    private final List<Chunk> chunks = new ArrayList<>();
    private float[] open;
    private int[] openLabels;
    private int openRows;
    private long rows;
    private long bytesInMemory;
    private boolean createdSpillDir;

    /** A chunk: its labels, and its features either in memory ({@code data}/{@code halves}) or in {@code file}. */
    private record Chunk(int rows, int[] labels, float[] data, short[] halves, Path file) {}

    /** Every chunk's rows, in an order; {@link #forEachBatch} hands them out in batches. */
    @FunctionalInterface
    public interface BatchConsumer {
        void accept(float[] features, int[] labels, int rows);
    }

    /**
     * @param memoryBudgetBytes features beyond this many bytes go to files under {@code spillDir}
     * @param spillDir where chunks spill ({@code null}: never spill, whatever the budget)
     */
    public FeatureCache(int channels, boolean half, long memoryBudgetBytes, Path spillDir) {
        InvalidParameterException.require(channels >= 1, "feature channels", "must be >= 1", channels);
        this.channels = channels;
        this.half = half;
        this.memoryBudgetBytes = memoryBudgetBytes;
        this.spillDir = spillDir;
    }

    public int channels() { return channels; }

    public long rows() { return rows; }

    /** Chunks written to files so far. */
    public long spilledChunks() { return chunks.stream().filter(c -> c.file() != null).count(); }

    /** Appends {@code n} rows of features (row-major n x C) and their labels. */
    public void add(float[] features, int[] labels, int n) {
        if (features.length != (long) n * channels || labels.length < n) {
            throw new IllegalArgumentException("expected " + n + " x " + channels + " features and " + n + " labels, got "
                    + features.length + " values and " + labels.length + " labels");
        }
        for (int i = 0; i < n; i++) {
            if (open == null) {
                open = new float[CHUNK_ROWS * channels];
                openLabels = new int[CHUNK_ROWS];
                openRows = 0;
            }
            System.arraycopy(features, i * channels, open, openRows * channels, channels);
            openLabels[openRows++] = labels[i];
            rows++;
            if (openRows == CHUNK_ROWS) {
                seal();
            }
        }
    }

    /** Ends the chunk being filled; call once after the last {@link #add}. */
    public void finish() {
        if (open != null && openRows > 0) {
            seal();
        }
    }

    private void seal() {
        float[] data = java.util.Arrays.copyOf(open, openRows * channels);
        int[] labels = java.util.Arrays.copyOf(openLabels, openRows);
        long bytes = (long) data.length * (half ? 2 : 4);
        if (spillDir != null && bytesInMemory + bytes > memoryBudgetBytes) {
            chunks.add(new Chunk(openRows, labels, null, null, write(data)));
        } else {
            chunks.add(half ? new Chunk(openRows, labels, null, toHalves(data), null)
                    : new Chunk(openRows, labels, data, null, null));
            bytesInMemory += bytes;
        }
        open = null;
    }

    private Path write(float[] data) {
        try {
            if (!Files.isDirectory(spillDir)) {
                Files.createDirectories(spillDir);
                createdSpillDir = true;
            }
            Path file = Files.createTempFile(spillDir, "features-", half ? ".f16" : ".f32");
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
                for (float v : data) {
                    if (half) {
                        out.writeShort(Half.fromFloat(v));
                    } else {
                        out.writeFloat(v);
                    }
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spill cached features under " + spillDir, e);
        }
    }

    private float[] read(Chunk chunk) {
        if (chunk.data() != null) {
            return chunk.data();
        }
        if (chunk.halves() != null) {
            return fromHalves(chunk.halves());
        }
        float[] data = new float[chunk.rows() * channels];
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(chunk.file())))) {
            for (int i = 0; i < data.length; i++) {
                data[i] = half ? Half.toFloat(in.readShort()) : in.readFloat();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cached features " + chunk.file(), e);
        }
        return data;
    }

    /**
     * Hands out every row once, in batches of {@code batchSize}: chunks in a shuffled order and
     * rows shuffled within each chunk ({@code random}), or in insertion order when it is null.
     * A batch never spans two chunks, so only one chunk is read at a time.
     */
    public void forEachBatch(int batchSize, SplittableRandom random, BatchConsumer consumer) {
        int[] order = identity(chunks.size());
        if (random != null) {
            shuffle(order, random);
        }
        float[] batch = new float[batchSize * channels];
        int[] batchLabels = new int[batchSize];
        for (int c : order) {
            Chunk chunk = chunks.get(c);
            float[] data = read(chunk);
            int[] rowsOrder = identity(chunk.rows());
            if (random != null) {
                shuffle(rowsOrder, random);
            }
            for (int start = 0; start < chunk.rows(); start += batchSize) {
                int n = Math.min(batchSize, chunk.rows() - start);
                for (int i = 0; i < n; i++) {
                    int row = rowsOrder[start + i];
                    System.arraycopy(data, row * channels, batch, i * channels, channels);
                    batchLabels[i] = chunk.labels()[row];
                }
                consumer.accept(n == batchSize ? batch : java.util.Arrays.copyOf(batch, n * channels),
                        n == batchSize ? batchLabels : java.util.Arrays.copyOf(batchLabels, n), n);
            }
        }
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static short[] toHalves(float[] data) {
        short[] out = new short[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = Half.fromFloat(data[i]);
        }
        return out;
    }

    private static float[] fromHalves(short[] data) {
        float[] out = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = Half.toFloat(data[i]);
        }
        return out;
    }

    /** Deletes the spilled files. */
    @Override
    public void close() {
        for (Chunk chunk : chunks) {
            if (chunk.file() != null) {
                try {
                    Files.deleteIfExists(chunk.file());
                } catch (IOException e) {
                    // best effort: a temporary file under the output directory
                }
            }
        }
        chunks.clear();
        if (createdSpillDir) {
            try {
                Files.deleteIfExists(spillDir); // only if empty: never someone else's files
            } catch (IOException e) {
                // not empty or gone: leave it
            }
        }
    }

    /** IEEE 754 binary16 conversions (Java 17 has no Float.floatToFloat16), round to nearest even. */
    static final class Half {
        private Half() {}

        static short fromFloat(float value) {
            int bits = Float.floatToRawIntBits(value);
            int sign = (bits >>> 16) & 0x8000;
            int exponent = (bits >>> 23) & 0xff;
            int mantissa = bits & 0x7fffff;
            if (exponent == 0xff) { // NaN or infinity
                return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
            }
            int e = exponent - 127 + 15;
            if (e >= 0x1f) { // overflow to infinity
                return (short) (sign | 0x7c00);
            }
            if (e <= 0) { // subnormal half or zero
                if (e < -10) {
                    return (short) sign;
                }
                int m = mantissa | 0x800000;
                int shift = 14 - e;
                int half = m >> shift;
                int rest = m & ((1 << shift) - 1);
                int midpoint = 1 << (shift - 1);
                if (rest > midpoint || (rest == midpoint && (half & 1) == 1)) {
                    half++;
                }
                return (short) (sign | half);
            }
            int half = (e << 10) | (mantissa >> 13);
            int rest = mantissa & 0x1fff;
            if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
                half++; // may carry into the exponent, which is the right rounding
            }
            return (short) (sign | half);
        }

        static float toFloat(short value) {
            int h = value & 0xffff;
            int sign = (h & 0x8000) << 16;
            int exponent = (h >>> 10) & 0x1f;
            int mantissa = h & 0x3ff;
            if (exponent == 0x1f) {
                return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
            }
            if (exponent == 0) {
                if (mantissa == 0) {
                    return Float.intBitsToFloat(sign);
                }
                float f = mantissa / 1024f * (float) Math.pow(2, -14);
                return sign != 0 ? -f : f;
            }
            return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
        }
    }
}
