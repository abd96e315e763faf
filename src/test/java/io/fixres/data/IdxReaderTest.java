package io.fixres.data;

import static io.fixres.data.TestData.gzip;
import static io.fixres.data.TestData.idx;
import static io.fixres.data.TestData.idxImages;
import static io.fixres.data.TestData.idxLabels;
import static io.fixres.data.TestData.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fixres.transform.FloatImage;
import io.fixres.transform.Normalization;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    private static final List<String> TEN = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    private static final byte[] PIXELS = {0, (byte) 255, 51, 102, (byte) 204, 1, 2, 3, 4, 5, 6, 7};

    @TempDir Path dir;

    @Test
    void readsRawAndGzippedFilesAlike() throws IOException {
        byte[] images = idxImages(2, 2, 3, PIXELS);
        byte[] labels = idxLabels(new byte[] {9, 4});
        Path rawImages = write(dir.resolve("raw-images"), images);
        Path rawLabels = write(dir.resolve("raw-labels"), labels);
        Path gzImages = write(dir.resolve("images.gz"), gzip(images));
        Path gzLabels = write(dir.resolve("labels.gz"), gzip(labels));

        for (IdxDataset d : List.of(IdxReader.readDataset(rawImages, rawLabels, TEN),
                IdxReader.readDataset(gzImages, gzLabels, TEN))) {
            assertThat(d.size()).isEqualTo(2);
            assertThat(d.rows()).isEqualTo(2);
            assertThat(d.cols()).isEqualTo(3);
            assertThat(d.channels()).isEqualTo(1);
            assertThat(d.classNames()).isEqualTo(TEN);
            LabeledImage first = d.get(0);
            assertThat(first.label()).isEqualTo(9);
            assertThat(first.image()).isEqualTo(new FloatImage(1, 2, 3,
                    new float[] {0f, 1f, 51 / 255f, 102 / 255f, 204 / 255f, 1 / 255f}));
            assertThat(d.get(1).label()).isEqualTo(4);
            assertThat(d.get(1).image().get(0, 1, 2)).isEqualTo(7 / 255f);
        }
    }

    @Test
    void detectsGzipByMagicNotByName() throws IOException {
        Path gzNamedRaw = write(dir.resolve("images-without-suffix"), gzip(idxImages(2, 2, 3, PIXELS)));
        Path rawNamedGz = write(dir.resolve("images.gz"), idxImages(2, 2, 3, PIXELS));
        assertThat(IdxReader.readImages(gzNamedRaw).pixels()).isEqualTo(PIXELS);
        assertThat(IdxReader.readImages(rawNamedGz).pixels()).isEqualTo(PIXELS);
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope-idx3-ubyte.gz");
        assertThatThrownBy(() -> IdxReader.readImages(missing))
                .isInstanceOf(DataException.class).hasMessage("IDX file not found: " + missing
                        + "; expected an IDX image file (uint8, dims count,rows,cols), raw or gzipped");
    }

    @Test
    void labelFileGivenAsImagesIsRejectedWithBothMagics() throws IOException {
        Path labels = write(dir.resolve("labels"), idxLabels(new byte[] {1, 2}));
        assertThatThrownBy(() -> IdxReader.readImages(labels)).isInstanceOf(DataException.class).hasMessage(
                labels + ": expected an IDX image file (uint8, dims count,rows,cols) with magic 0x00000803,"
                        + " found 0x00000801 (an IDX label file)");
    }

    @Test
    void unknownMagicIsRejected() throws IOException {
        Path png = write(dir.resolve("labels.gz"), gzip(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 0}));
        assertThatThrownBy(() -> IdxReader.readLabels(png)).isInstanceOf(DataException.class).hasMessage(
                png + ": expected an IDX label file (uint8, dims count) with magic 0x00000801, found 0x89504e47");
    }

    @Test
    void truncatedPixelsAreReportedWithPromisedAndActualSize() throws IOException {
        byte[] full = idxImages(2, 2, 3, PIXELS);
        Path raw = write(dir.resolve("raw"), Arrays.copyOf(full, full.length - 2));
        Path gz = write(dir.resolve("gz"), gzip(Arrays.copyOf(full, full.length - 2)));
        String expected = " is truncated: the header promises 2 images of 2x3 (12 bytes) but only 10 bytes follow";
        assertThatThrownBy(() -> IdxReader.readImages(raw)).isInstanceOf(DataException.class).hasMessage(raw + expected);
        assertThatThrownBy(() -> IdxReader.readImages(gz)).isInstanceOf(DataException.class).hasMessage(gz + expected);
    }

    @Test
    void aHeaderClaimingTwoGigabytesIsRefusedWithoutAllocatingThem() throws IOException {
        // 2,551,020 images of 28x28 = 1,999,999,680 bytes promised; 784 bytes present
        byte[] hostile = idx(0x803, new int[] {2_551_020, 28, 28}, new byte[784]);
        Path raw = write(dir.resolve("hostile"), hostile);
        Path gz = write(dir.resolve("hostile.gz"), gzip(hostile));
        String expected = " is truncated: the header promises 2551020 images of 28x28 (1999999680 bytes) but only 784"
                + " bytes follow";
        for (Path file : List.of(raw, gz)) {
            long before = allocatedBytes();
            assertThatThrownBy(() -> IdxReader.readImages(file)).isInstanceOf(DataException.class)
                    .hasMessage(file + expected);
            assertThat(allocatedBytes() - before).as("bytes allocated reading " + file).isLessThan(16L << 20);
        }
    }

    @Test
    void anImageFileOfZeroImagesIsRefusedSayingSo() throws IOException {
        Path images = write(dir.resolve("images"), idxImages(0, 28, 28, new byte[0]));
        Path labels = write(dir.resolve("labels"), idxLabels(new byte[0]));
        assertThatThrownBy(() -> IdxReader.readDataset(images, labels, TEN)).isInstanceOf(DataException.class)
                .hasMessage(images + " holds 0 images (its IDX header says so); a data set needs at least one");
    }

    /** Bytes this thread allocated so far (HotSpot's per-thread allocation counter). */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void cutGzipStreamIsReportedAsTruncated() throws IOException {
        byte[] gz = gzip(idxLabels(new byte[1000]));
        Path cut = write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length - 12)); // drop the gzip trailer and more
        assertThatThrownBy(() -> IdxReader.readLabels(cut)).isInstanceOf(DataException.class)
                .hasMessageStartingWith(cut + " is truncated: the header promises 1000 labels (1000 bytes) but only ");
    }

    @Test
    void truncatedHeaderIsReported() throws IOException {
        Path header = write(dir.resolve("short"), Arrays.copyOf(idxImages(2, 2, 3, PIXELS), 10));
        assertThatThrownBy(() -> IdxReader.readImages(header)).isInstanceOf(DataException.class)
                .hasMessage(header + " is truncated: the IDX header is incomplete");
    }

    @Test
    void negativeDimensionIsReported() throws IOException {
        Path file = write(dir.resolve("neg"), idx(0x803, new int[] {-1, 2, 2}, new byte[0]));
        assertThatThrownBy(() -> IdxReader.readImages(file)).isInstanceOf(DataException.class)
                .hasMessage(file + ": IDX header gives a negative image count (-1)");
    }

    @Test
    void labelAndImageCountsMustAgree() throws IOException {
        Path images = write(dir.resolve("images"), idxImages(2, 2, 3, PIXELS));
        Path labels = write(dir.resolve("labels"), idxLabels(new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> IdxReader.readDataset(images, labels, TEN)).isInstanceOf(DataException.class)
                .hasMessage("label/image count mismatch: " + labels + " holds 3 labels but " + images + " holds 2 images");
    }

    @Test
    void labelsMustBeBelowTheNumberOfClasses() throws IOException {
        Path images = write(dir.resolve("images"), idxImages(2, 2, 3, PIXELS));
        Path labels = write(dir.resolve("labels"), idxLabels(new byte[] {9, (byte) 200}));
        assertThatThrownBy(() -> IdxReader.readDataset(images, labels, TEN)).isInstanceOf(DataException.class)
                .hasMessage(labels + ": label 200 at index 1 is out of range; expected a class index below 10");
    }

    @Test
    void pixelStatisticsAreThePopulationMeanAndStdInUnitRange() throws IOException {
        // Pixels 0, 255, 0, 255 -> values 0, 1, 0, 1: mean 0.5, population std 0.5.
        Path images = write(dir.resolve("images"), idxImages(1, 2, 2, new byte[] {0, (byte) 255, 0, (byte) 255}));
        Path labels = write(dir.resolve("labels"), idxLabels(new byte[] {0}));
        Normalization stats = IdxReader.readDataset(images, labels, TEN).pixelStatistics();
        assertThat(stats.mean()).containsExactly(0.5f);
        assertThat(stats.std()).containsExactly(0.5f);
    }
}
