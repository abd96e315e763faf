package io.fixres.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;

/** Small broken or hostile image files, generated, for the bad-input tests. */
public final class BadFiles {
    private BadFiles() {}

    /** A 96x64 RGB gradient with noise (JPEG blocks carry real data all the way down). */
    public static BufferedImage picture() {
        BufferedImage image = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, ((x * 2 + rng.nextInt(40)) << 16) | ((y * 3 + rng.nextInt(40)) << 8) | rng.nextInt(255));
            }
        }
        return image;
    }

    /** The bytes of {@link #picture()} in {@code format} ("jpg", "png"). */
    public static byte[] encoded(String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(picture(), format, out)) {
            throw new IllegalStateException("no writer for " + format);
        }
        return out.toByteArray();
    }

    /** A JPEG cut off after two thirds of its bytes (what an interrupted download leaves). */
    public static Path truncatedJpeg(Path file) throws IOException {
        byte[] jpeg = encoded("jpg");
        return write(file, Arrays.copyOf(jpeg, jpeg.length * 2 / 3));
    }

    /** A whole JPEG but for its final EOI marker (FF D9). */
    public static Path jpegWithoutEndMarker(Path file) throws IOException {
        byte[] jpeg = encoded("jpg");
        return write(file, Arrays.copyOf(jpeg, jpeg.length - 2));
    }

    /** A PNG cut off in the middle of its image data. */
    public static Path truncatedPng(Path file) throws IOException {
        byte[] png = encoded("png");
        return write(file, Arrays.copyOf(png, png.length / 2));
    }

    /** A whole PNG but for its final IEND chunk (12 bytes). */
    public static Path pngWithoutEnd(Path file) throws IOException {
        byte[] png = encoded("png");
        return write(file, Arrays.copyOf(png, png.length - 12));
    }

    /**
     * A PNG whose header claims {@code width x height} RGB pixels, with one row of data: what a
     * decompression bomb looks like to a reader that checks the header (a few hundred bytes on disk).
     * It must never be decoded; the test of the limit is that it is not.
     */
    public static Path pngClaiming(Path file, int width, int height) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(ihdr);
        h.writeInt(width);
        h.writeInt(height);
        h.write(new byte[] {8, 2, 0, 0, 0}); // 8-bit RGB, deflate, no filter, no interlace
        chunk(png, "IHDR", ihdr.toByteArray());
        Deflater deflater = new Deflater();
        deflater.setInput(new byte[1 + 3 * Math.min(width, 64)]);
        deflater.finish();
        byte[] compressed = new byte[1024];
        int n = deflater.deflate(compressed);
        chunk(png, "IDAT", Arrays.copyOf(compressed, n));
        chunk(png, "IEND", new byte[0]);
        return write(file, png.toByteArray());
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
        DataOutputStream out = new DataOutputStream(png);
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeInt(data.length);
        out.write(typeBytes);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    public static Path write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, content);
    }
}
