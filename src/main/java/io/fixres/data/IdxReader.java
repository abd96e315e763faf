package io.fixres.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST-family IDX files (http://yann.lecun.com/exdb/mnist/ format), gzipped or raw.
 *
 * <p>Only the two layouts the MNIST family uses are accepted: uint8 images with three
 * dimensions (magic 0x00000803: count, rows, cols) and uint8 labels with one dimension
 * (magic 0x00000801). Every failure is a {@link DataException} naming the file and what was
 * expected.
 */
public final class IdxReader {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;
    private static final int INITIAL_BUFFER_BYTES = 1 << 20;
    private static final String IMAGES = "an IDX image file (uint8, dims count,rows,cols)";
    private static final String LABELS = "an IDX label file (uint8, dims count)";

    /** The uint8 pixels of an IDX image file, image after image, each row-major. */
    public record Images(int count, int rows, int cols, byte[] pixels) {}

    private IdxReader() {}

    public static Images readImages(Path file) {
        try (DataInputStream in = open(file, IMAGES)) {
            checkMagic(file, in.readInt(), IMAGES_MAGIC, IMAGES);
            int count = readDim(file, in, "image count");
            int rows = readDim(file, in, "rows");
            int cols = readDim(file, in, "cols");
            long bytes = (long) count * rows * cols;
            if (bytes > Integer.MAX_VALUE - 8) {
                throw new DataException(file + ": " + count + " images of " + rows + "x" + cols
                        + " do not fit in one array (at most 2^31 bytes supported)");
            }
            byte[] pixels = readFully(file, in, (int) bytes,
                    count + " images of " + rows + "x" + cols);
            return new Images(count, rows, cols, pixels);
        } catch (EOFException e) {
            throw new DataException(file + " is truncated: the IDX header is incomplete", e);
        } catch (IOException e) {
            throw new DataException("cannot read IDX file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The raw uint8 labels of an IDX label file. */
    public static byte[] readLabels(Path file) {
        try (DataInputStream in = open(file, LABELS)) {
            checkMagic(file, in.readInt(), LABELS_MAGIC, LABELS);
            int count = readDim(file, in, "label count");
            return readFully(file, in, count, count + " labels");
        } catch (EOFException e) {
            throw new DataException(file + " is truncated: the IDX header is incomplete", e);
        } catch (IOException e) {
            throw new DataException("cannot read IDX file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads an image file and its label file into a dataset, checking that the counts agree and
     * that every label is below {@code classNames.size()}.
     */
    public static IdxDataset readDataset(Path imagesFile, Path labelsFile, List<String> classNames) {
        Images images = readImages(imagesFile);
        if (images.count() == 0) {
            throw new DataException(imagesFile + " holds 0 images (its IDX header says so); a data set needs at least one");
        }
        byte[] labels = readLabels(labelsFile);
        if (labels.length != images.count()) {
            throw new DataException("label/image count mismatch: " + labelsFile + " holds " + labels.length
                    + " labels but " + imagesFile + " holds " + images.count() + " images");
        }
        for (int i = 0; i < labels.length; i++) {
            int label = Byte.toUnsignedInt(labels[i]);
            if (label >= classNames.size()) {
                throw new DataException(labelsFile + ": label " + label + " at index " + i
                        + " is out of range; expected a class index below " + classNames.size());
            }
        }
        return new IdxDataset(images, labels, classNames, imagesFile.toString());
    }

    private static DataInputStream open(Path file, String expected) throws IOException {
        try {
            return new DataInputStream(openContent(file));
        } catch (NoSuchFileException e) {
            throw new DataException("IDX file not found: " + file + "; expected " + expected + ", raw or gzipped", e);
        }
    }

    /**
     * The file's content, transparently gunzipped when it starts with the gzip magic 1f 8b
     * (detected, not guessed from the name: some mirrors serve raw files named .gz).
     */
    static InputStream openContent(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            raw.mark(2);
            boolean gzipped = raw.read() == GZIP_MAGIC_0 && raw.read() == GZIP_MAGIC_1;
            raw.reset();
            return gzipped ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    private static void checkMagic(Path file, int found, int expected, String what) {
        if (found != expected) {
            String hint = found == IMAGES_MAGIC ? " (an IDX image file)"
                    : found == LABELS_MAGIC ? " (an IDX label file)" : "";
            throw new DataException(String.format("%s: expected %s with magic 0x%08x, found 0x%08x%s",
                    file, what, expected, found, hint));
        }
    }

    private static int readDim(Path file, DataInputStream in, String name) throws IOException {
        int value = in.readInt();
        if (value < 0) {
            throw new DataException(file + ": IDX header gives a negative " + name + " (" + value + ")");
        }
        return value;
    }

    /**
     * Reads the {@code length} bytes the header promises, growing the buffer as data actually
     * arrives (from 1 MB, doubling), so a header claiming 2 GB in a small file costs at most twice
     * the data that is there before the shortfall is reported; a gzip stream is read to its end
     * the same way, its uncompressed size being known only then.
     */
    private static byte[] readFully(Path file, InputStream in, int length, String promised) throws IOException {
        byte[] data = new byte[Math.min(length, INITIAL_BUFFER_BYTES)];
        int read = 0;
        try {
            while (read < length) {
                if (read == data.length) {
                    data = Arrays.copyOf(data, (int) Math.min(length, 2L * data.length));
                }
                int n = in.read(data, read, data.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
        } catch (EOFException e) {
            // A cut gzip stream ends with EOFException instead of -1; same meaning here.
        }
        if (read < length) {
            throw new DataException(file + " is truncated: the header promises " + promised + " ("
                    + length + " bytes) but only " + read + " bytes follow");
        }
        return data;
    }
}
