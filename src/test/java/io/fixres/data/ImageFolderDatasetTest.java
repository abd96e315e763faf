package io.fixres.data;

import static io.fixres.data.TestData.rgbImage;
import static io.fixres.data.TestData.writeImage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fixres.testing.BadFiles;
import io.fixres.transform.FloatImage;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetTest {
    @TempDir Path root;

    @Test
    void classesAndFilesAreSortedByNameAndNonImagesIgnored() throws IOException {
        Path split = root.resolve("train");
        writeImage(split.resolve("zebra/b.png"), rgbImage(2, 2, 0x000000), "png");
        writeImage(split.resolve("zebra/a.PNG"), rgbImage(2, 2, 0x000000), "png");
        writeImage(split.resolve("apple/c.bmp"), rgbImage(2, 2, 0x000000), "bmp");
        writeImage(split.resolve("apple/b.JPEG"), rgbImage(2, 2, 0x000000), "jpeg");
        writeImage(split.resolve("apple/a.jpg"), rgbImage(2, 2, 0x000000), "jpeg");
        Files.writeString(split.resolve("apple/notes.txt"), "not an image");
        Files.writeString(split.resolve("apple/.hidden.png"), "hidden");
        Files.writeString(split.resolve("README"), "stray file next to the class folders");
        Files.createDirectories(split.resolve(".cache"));

        ImageFolderDataset d = ImageFolderDataset.open(split);

        assertThat(d.classNames()).containsExactly("apple", "zebra");
        assertThat(d.size()).isEqualTo(5);
        assertThat(List.of(0, 1, 2, 3, 4).stream().map(i -> split.relativize(d.file(i)).toString()))
                .containsExactly("apple/a.jpg", "apple/b.JPEG", "apple/c.bmp", "zebra/a.PNG", "zebra/b.png");
        assertThat(List.of(0, 1, 2, 3, 4).stream().map(i -> d.get(i).label())).containsExactly(0, 0, 0, 1, 1);
        assertThat(d.channels()).isEqualTo(3);
        assertThat(d.source()).isEqualTo(split.toString());
    }

    @Test
    void pngDecodesExactlyToPlanarRgb() throws IOException {
        BufferedImage image = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xff0000);
        image.setRGB(1, 0, 0x00ff00);
        image.setRGB(2, 0, 0x0000ff);
        image.setRGB(0, 1, 0x336699);
        Path file = writeImage(root.resolve("c/x.png"), image, "png");

        FloatImage rgb = ImageDecoder.readRgb(file);

        assertThat(rgb.channels()).isEqualTo(3);
        assertThat(rgb.height()).isEqualTo(2);
        assertThat(rgb.width()).isEqualTo(3);
        assertThat(rgb.data()).containsExactly(
                1, 0, 0, 0x33 / 255f, 0, 0, // R plane
                0, 1, 0, 0x66 / 255f, 0, 0, // G plane
                0, 0, 1, 0x99 / 255f, 0, 0); // B plane
    }

    @Test
    void grayscaleIsReplicatedWithItsStoredValues() throws IOException {
        BufferedImage gray = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(0, 0, 0, 128);
        gray.getRaster().setSample(1, 0, 0, 10);
        Path file = writeImage(root.resolve("c/gray.png"), gray, "png");

        // getRGB would give 186 for 128 (linear gray -> sRGB); PIL's convert("RGB") keeps 128.
        assertThat(ImageDecoder.readRgb(file).data())
                .containsExactly(128 / 255f, 10 / 255f, 128 / 255f, 10 / 255f, 128 / 255f, 10 / 255f);
    }

    @Test
    void sixteenBitGrayIsScaledByItsDepth() throws IOException {
        BufferedImage gray = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        gray.getRaster().setSample(0, 0, 0, 65535);
        gray.getRaster().setSample(1, 0, 0, 13107); // 0.2 * 65535
        Path file = writeImage(root.resolve("c/gray16.png"), gray, "png");

        assertThat(ImageDecoder.readRgb(file).data()).containsExactly(1f, 0.2f, 1f, 0.2f, 1f, 0.2f);
    }

    @Test
    void alphaIsDroppedNotComposited() throws IOException {
        BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x20ff8000); // almost transparent orange
        Path file = writeImage(root.resolve("c/alpha.png"), argb, "png");

        assertThat(ImageDecoder.readRgb(file).data()).containsExactly(1f, 0x80 / 255f, 0f);
    }

    @Test
    void palettePngGoesThroughItsColourMap() throws IOException {
        IndexColorModel palette = new IndexColorModel(8, 2,
                new byte[] {0, (byte) 200}, new byte[] {0, 100}, new byte[] {0, 50});
        BufferedImage indexed = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        indexed.getRaster().setSample(1, 0, 0, 1);
        Path file = writeImage(root.resolve("c/palette.png"), indexed, "png");

        assertThat(ImageDecoder.readRgb(file).data())
                .containsExactly(0, 200 / 255f, 0, 100 / 255f, 0, 50 / 255f);
    }

    @Test
    void subImagesWithTranslatedRastersAreReadAtTheRightOffset() {
        BufferedImage bgr = new BufferedImage(3, 3, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                bgr.setRGB(x, y, (10 * (y * 3 + x)) << 16 | 7);
            }
        }
        FloatImage sub = ImageDecoder.toRgb(bgr.getSubimage(1, 1, 2, 2));

        assertThat(Arrays.copyOf(sub.data(), 4)).containsExactly(40 / 255f, 50 / 255f, 70 / 255f, 80 / 255f);
        assertThat(sub.get(2, 1, 1)).isEqualTo(7 / 255f);
    }

    @Test
    void jpegDecodesCloseToItsColour() throws IOException {
        Path file = writeImage(root.resolve("c/x.jpg"), rgbImage(8, 8, 0xc86432), "jpeg");

        FloatImage rgb = ImageDecoder.readRgb(file);

        assertThat(rgb.height()).isEqualTo(8);
        assertThat(rgb.get(0, 4, 4)).isCloseTo(200 / 255f, within(4 / 255f));
        assertThat(rgb.get(1, 4, 4)).isCloseTo(100 / 255f, within(4 / 255f));
        assertThat(rgb.get(2, 4, 4)).isCloseTo(50 / 255f, within(4 / 255f));
    }

    @Test
    void fourComponentCmykJpegDecodesToThreeChannels() throws IOException {
        // A 4-component JPEG: read as CMYK and converted (TwelveMonkeys hands back sRGB ARGB).
        WritableRaster cmyk = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 6, 4, 4, null);
        Path file = root.resolve("c/cmyk.jpg");
        Files.createDirectories(file.getParent());
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter writer = writers.next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(new IIOImage(cmyk, null, null));
        } finally {
            writer.dispose();
        }

        FloatImage rgb = ImageDecoder.readRgb(file);

        assertThat(rgb.channels()).isEqualTo(3);
        assertThat(rgb.height()).isEqualTo(4);
        assertThat(rgb.width()).isEqualTo(6);
    }

    @Test
    void corruptAndTruncatedImagesNameTheirFile() throws IOException {
        Path split = root.resolve("train");
        writeImage(split.resolve("c/good.png"), rgbImage(4, 4, 0x123456), "png");
        Path garbage = Files.write(split.resolve("c/garbage.jpg"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        byte[] png = Files.readAllBytes(writeImage(root.resolve("tmp/t.png"), rgbImage(64, 64, 0x123456), "png"));
        Path truncated = Files.write(split.resolve("c/truncated.png"), Arrays.copyOf(png, png.length / 2));
        ImageFolderDataset d = ImageFolderDataset.open(split);

        assertThat(d.get(1).image().channels()).isEqualTo(3); // good.png
        assertThatThrownBy(() -> d.get(0)).isInstanceOf(DataException.class).hasMessage("cannot decode image "
                + garbage + ": no ImageIO reader recognises its content (expected JPEG, PNG or BMP)");
        assertThatThrownBy(() -> d.get(2)).isInstanceOf(DataException.class)
                .hasMessageStartingWith("cannot decode image " + truncated + ": ");
    }

    @Test
    void truncatedJpegsAndPngsAreRefusedNamingTheFileNotDecodedGrey() throws IOException {
        Path split = root.resolve("train");
        Path good = BadFiles.write(split.resolve("c/a-good.jpg"), BadFiles.encoded("jpg"));
        Path cut = BadFiles.truncatedJpeg(split.resolve("c/b-cut.jpg"));
        Path noEoi = BadFiles.jpegWithoutEndMarker(split.resolve("c/c-no-eoi.jpg"));
        Path cutPng = BadFiles.truncatedPng(split.resolve("c/d-cut.png"));
        Path noIend = BadFiles.pngWithoutEnd(split.resolve("c/e-no-iend.png"));
        BadFiles.write(split.resolve("c/f-good.png"), BadFiles.encoded("png"));
        ImageFolderDataset d = ImageFolderDataset.open(split);

        assertThat(d.get(0).image().width()).isEqualTo(96);
        assertThatThrownBy(() -> d.get(1)).isInstanceOf(DataException.class)
                .hasMessageStartingWith("image " + cut + " is truncated (");
        assertThatThrownBy(() -> d.get(2)).isInstanceOf(DataException.class)
                .hasMessageStartingWith("image " + noEoi + " is truncated (");
        assertThatThrownBy(() -> d.get(3)).isInstanceOf(DataException.class)
                .hasMessageStartingWith("cannot decode image " + cutPng + ": ");
        assertThatThrownBy(() -> d.get(4)).isInstanceOf(DataException.class)
                .hasMessage("image " + noIend + " is truncated: a PNG must end with an IEND chunk and this one has none");
        assertThat(d.get(5).image().height()).isEqualTo(64);
    }

    @Test
    void anImageAboveThePixelLimitIsRefusedFromItsHeaderBeforeDecoding() throws IOException {
        Path split = root.resolve("train");
        // 16000 x 16000 = 256,000,000 pixels claimed in a file of a few hundred bytes: decoding it would
        // take 768 MB; the refusal comes from the header, so the test allocates nothing of that size
        Path bomb = BadFiles.pngClaiming(split.resolve("c/bomb.png"), 16000, 16000);
        ImageFolderDataset d = ImageFolderDataset.open(split);
        assertThat(Files.size(bomb)).isLessThan(1000);
        assertThatThrownBy(() -> d.get(0)).isInstanceOf(DataException.class).hasMessage("image " + bomb
                + " is 16000x16000 = 256,000,000 pixels, above the limit of 178,956,970 pixels (a decompression bomb?"
                + " PIL refuses it too); raise the limit with --max-image-pixels if the image is genuine");
    }

    @Test
    void thePixelLimitCanBeLoweredAndRaised() throws IOException {
        Path split = root.resolve("train");
        Path picture = BadFiles.write(split.resolve("c/p.png"), BadFiles.encoded("png")); // 96 x 64 = 6144 pixels
        ImageFolderDataset d = ImageFolderDataset.open(split);
        try {
            ImageLimits.setMaxPixels(6143);
            assertThatThrownBy(() -> d.get(0)).hasMessageStartingWith("image " + picture + " is 96x64 = 6,144 pixels,"
                    + " above the limit of 6,143 pixels");
            ImageLimits.setMaxPixels(6144);
            assertThat(d.get(0).image().width()).isEqualTo(96);
            assertThatThrownBy(() -> ImageLimits.setMaxPixels(0))
                    .hasMessage("maximum image pixels must be >= 1, got 0");
        } finally {
            ImageLimits.setMaxPixels(ImageLimits.DEFAULT_MAX_PIXELS);
        }
    }

    @Test
    void emptyClassFolderIsRejected() throws IOException {
        Path split = root.resolve("train");
        writeImage(split.resolve("a/x.png"), rgbImage(2, 2, 0), "png");
        Files.createDirectories(split.resolve("b"));
        Files.writeString(split.resolve("b/readme.txt"), "no images here");

        assertThatThrownBy(() -> ImageFolderDataset.open(split)).isInstanceOf(DataException.class).hasMessage(
                "class folder " + split.resolve("b") + " holds no images; expected at least one .jpg, .jpeg, .png or .bmp file");
    }

    @Test
    void splitWithoutClassFoldersIsRejected() throws IOException {
        Path split = Files.createDirectories(root.resolve("train"));
        writeImage(split.resolve("x.png"), rgbImage(2, 2, 0), "png");

        assertThatThrownBy(() -> ImageFolderDataset.open(split)).isInstanceOf(DataException.class).hasMessage(
                "ImageFolder split " + split + " has no class folders; expected one sub-folder per class holding its images");
    }

    @Test
    void missingSplitIsRejected() {
        Path split = root.resolve("val");
        assertThatThrownBy(() -> ImageFolderDataset.open(split)).isInstanceOf(DataException.class)
                .hasMessage("ImageFolder split " + split + " is not a directory");
    }
}
