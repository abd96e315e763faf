package io.fixres.data;

import io.fixres.transform.FloatImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntFunction;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/** Small data sets written by the tests themselves. */
final class TestData {
    private TestData() {}

    /** IDX image bytes: header (magic 0x803, n, rows, cols) then the pixels. */
    static byte[] idxImages(int n, int rows, int cols, byte[] pixels) {
        return idx(0x00000803, new int[] {n, rows, cols}, pixels);
    }

    static byte[] idxLabels(byte[] labels) {
        return idx(0x00000801, new int[] {labels.length}, labels);
    }

    static byte[] idx(int magic, int[] dims, byte[] payload) {
        try {
            return io.fixres.testing.TinyDatasets.idx(magic, dims, payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Path write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, content);
    }

    /** Pixel p of image i is (i * 7 + p) mod 256, so every image differs. */
    static byte[] pixels(int n, int rows, int cols) {
        byte[] pixels = new byte[n * rows * cols];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < rows * cols; p++) {
                pixels[i * rows * cols + p] = (byte) (i * 7 + p);
            }
        }
        return pixels;
    }

    /**
     * Writes a complete gzipped IDX directory: {@code nTrain}/{@code nTest} 3x2 images whose
     * labels are {@code i % numLabels}.
     */
    static Path idxDirectory(Path dir, int nTrain, int nTest, int numLabels) throws IOException {
        writeSplit(dir, "train", nTrain, numLabels);
        writeSplit(dir, "t10k", nTest, numLabels);
        return dir;
    }

    private static void writeSplit(Path dir, String prefix, int n, int numLabels) throws IOException {
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % numLabels);
        }
        write(dir.resolve(prefix + "-images-idx3-ubyte.gz"), gzip(idxImages(n, 3, 2, pixels(n, 3, 2))));
        write(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), gzip(idxLabels(labels)));
    }

    static BufferedImage rgbImage(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    static Path writeImage(Path file, BufferedImage image, String format) throws IOException {
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(image, format, file.toFile())) {
            throw new IOException("no ImageIO writer for " + format);
        }
        return file;
    }

    /** An ImageFolder root with the given classes in train/ and val/, one 4x3 PNG per class and split. */
    static Path imageFolder(Path root, List<String> trainClasses, List<String> valClasses) throws IOException {
        for (String c : trainClasses) {
            writeImage(root.resolve("train").resolve(c).resolve("a.png"), rgbImage(4, 3, 0x102030), "png");
        }
        for (String c : valClasses) {
            writeImage(root.resolve("val").resolve(c).resolve("a.png"), rgbImage(4, 3, 0x102030), "png");
        }
        return root;
    }

    /** An in-memory dataset: image i is 1 x h x w filled with i, label i % 3, from {@code images}. */
    static ImageDataset memory(int size, IntFunction<LabeledImage> images) {
        return new ImageDataset() {
            @Override public int size() { return size; }
            @Override public List<String> classNames() { return List.of("a", "b", "c"); }
            @Override public int channels() { return 1; }
            @Override public LabeledImage get(int index) { return images.apply(index); }
            @Override public String source() { return "memory"; }
        };
    }

    static LabeledImage filled(int index, int h, int w) {
        float[] data = new float[h * w];
        java.util.Arrays.fill(data, index);
        return new LabeledImage(new FloatImage(1, h, w, data), index % 3);
    }
}
