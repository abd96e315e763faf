package io.fixres.data;

import io.fixres.transform.FloatImage;
import io.fixres.transform.Normalization;
import java.util.List;
import java.util.Objects;

/**
 * An MNIST-family split held in memory as the uint8 bytes of its IDX files (47 MB for the
 * 60k Fashion-MNIST training images); {@link #get} converts one image to floats on demand.
 * Immutable, so safe for concurrent decoder threads.
 */
public final class IdxDataset implements ImageDataset {
    private final int count;
    private final int rows;
    private final int cols;
    private final byte[] pixels;
    private final byte[] labels;
    private final List<String> classNames;
    private final String source;

    IdxDataset(IdxReader.Images images, byte[] labels, List<String> classNames, String source) {
        if (labels.length != images.count()) {
            throw new IllegalArgumentException(labels.length + " labels for " + images.count() + " images");
        }
        this.count = images.count();
        this.rows = images.rows();
        this.cols = images.cols();
        this.pixels = images.pixels();
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
        this.source = Objects.requireNonNull(source);
    }

    @Override public int size() { return count; }
    @Override public List<String> classNames() { return classNames; }
    @Override public int channels() { return 1; }
    @Override public String source() { return source; }
    public int rows() { return rows; }
    public int cols() { return cols; }

    @Override
    public LabeledImage get(int index) {
        Objects.checkIndex(index, count);
        int n = rows * cols;
        float[] data = new float[n];
        int offset = index * n;
        for (int i = 0; i < n; i++) {
            data[i] = Byte.toUnsignedInt(pixels[offset + i]) / 255f;
        }
        return new LabeledImage(new FloatImage(1, rows, cols, data), Byte.toUnsignedInt(labels[index]));
    }

    /**
     * Mean and (population) standard deviation of all pixels in [0, 1], for normalising data
     * with no published statistics. A 256-bin histogram makes it exact and one pass.
     */
    public Normalization pixelStatistics() {
        long[] histogram = new long[256];
        for (byte p : pixels) {
            histogram[Byte.toUnsignedInt(p)]++;
        }
        double sum = 0;
        double sumSq = 0;
        for (int v = 0; v < 256; v++) {
            double x = v / 255.0;
            sum += histogram[v] * x;
            sumSq += histogram[v] * x * x;
        }
        long n = Math.max(1, pixels.length);
        double mean = sum / n;
        double std = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
        // A constant image set would give std 0 and divide by zero downstream.
        return new Normalization(new float[] {(float) mean}, new float[] {(float) (std > 0 ? std : 1)});
    }
}
