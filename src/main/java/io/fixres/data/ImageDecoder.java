package io.fixres.data;

import io.fixres.transform.FloatImage;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes an image file into a 3-channel RGB {@link FloatImage} in [0, 1], the way
 * torchvision's {@code PIL.Image.convert("RGB")} + {@code ToTensor} would.
 *
 * <ul>
 *   <li>Grayscale is replicated to three channels, using the stored sample values (not
 *       {@code getRGB}, which would push linear-gray through a gamma curve).</li>
 *   <li>Alpha is dropped, not composited: PIL's {@code convert("RGB")} also just discards it.</li>
 *   <li>8-bit sRGB/gray images (every JPEG and most PNGs) are read straight from the raster's
 *       byte buffer; everything else (palettes, 16-bit colour, other colour spaces) goes
 *       through one {@code getRGB} call per row.</li>
 * </ul>
 *
 * TwelveMonkeys' JPEG plugin, on the classpath, is registered here so that CMYK/YCCK JPEGs
 * (which the JDK reader rejects) decode too.
 */
public final class ImageDecoder {
    static {
        ImageIO.scanForPlugins();
        // Decoding from files needs no disk cache; the cache only adds temp-file traffic.
        ImageIO.setUseCache(false);
    }

    /** How far from the end of a PNG its IEND chunk is looked for. */
    private static final int PNG_TAIL_BYTES = 4096;
    private static final int STREAM_BUFFER_BYTES = 1 << 16;

    private ImageDecoder() {}

    static FloatImage readRgb(Path file) {
        BufferedImage image;
        try {
            image = decode(file);
        } catch (IOException | RuntimeException e) {
            if (e instanceof DataException d) {
                throw d;
            }
            throw new DataException("cannot decode image " + file + ": " + e.getMessage(), e);
        }
        try {
            return toRgb(image);
        } catch (RuntimeException e) {
            throw new DataException("cannot convert image " + file + " to RGB: " + e.getMessage(), e);
        }
    }

    /**
     * What {@code ImageIO.read} does (the first reader that recognises the content), plus two
     * checks it lacks: the size from the header is held against {@link ImageLimits#maxPixels()}
     * before any pixel is decoded (a 249 KB PNG can claim 16000x16000 pixels, 1 GB decoded), and
     * a truncated file is refused instead of coming out grey where the data ended.
     */
    private static BufferedImage decode(Path file) throws IOException {
        // Opened through the Path, not File: a listed Path keeps the file name's bytes, so a name that
        // is not valid in the JVM's file-name encoding (Latin-1 bytes under UTF-8) still opens.
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), STREAM_BUFFER_BYTES);
             ImageInputStream in = ImageIO.createImageInputStream(raw)) {
            if (in == null) {
                throw new DataException("cannot open image " + file);
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DataException("cannot decode image " + file
                        + ": no ImageIO reader recognises its content (expected JPEG, PNG or BMP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                long limit = ImageLimits.maxPixels();
                if (pixels > limit) {
                    throw new DataException(String.format(Locale.ROOT, "image %s is %dx%d = %,d pixels, above the limit"
                                    + " of %,d pixels (a decompression bomb? PIL refuses it too); raise the limit with"
                                    + " --max-image-pixels if the image is genuine", file, reader.getWidth(0),
                            reader.getHeight(0), pixels, limit));
                }
                List<String> truncation = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> {
                    if (isTruncationWarning(warning) && truncation.isEmpty()) {
                        truncation.add(warning);
                    }
                });
                BufferedImage image = reader.read(0);
                if (!truncation.isEmpty()) {
                    throw new DataException("image " + file + " is truncated (" + truncation.get(0)
                            + "): the decoder would fill the missing part with grey");
                }
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (format.equals("png") && !endsWithIend(file)) {
                    throw new DataException("image " + file + " is truncated: a PNG must end with an IEND chunk and"
                            + " this one has none");
                }
                return image;
            } finally {
                reader.dispose();
            }
        }
    }

    /** The JDK and TwelveMonkeys JPEG readers warn instead of failing when the data stops early. */
    private static boolean isTruncationWarning(String warning) {
        String w = warning.toLowerCase(Locale.ROOT);
        return w.contains("truncated") || w.contains("premature end") || w.contains("missing eoi");
    }

    /** A PNG's last chunk is IEND (12 bytes); a few trailing bytes after it are tolerated, as PIL does. */
    private static boolean endsWithIend(Path file) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            int tail = (int) Math.min(channel.size(), PNG_TAIL_BYTES);
            ByteBuffer buffer = ByteBuffer.allocate(tail);
            channel.position(channel.size() - tail);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // fill
            }
            byte[] bytes = buffer.array();
            for (int i = bytes.length - 4; i >= 0; i--) {
                if (bytes[i] == 'I' && bytes[i + 1] == 'E' && bytes[i + 2] == 'N' && bytes[i + 3] == 'D') {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Decodes an image from a stream (e.g. a file on a Hadoop file system), {@code name} naming it
     * in error messages; the caller closes the stream.
     */
    public static FloatImage readRgb(java.io.InputStream in, String name) {
        BufferedImage image;
        try {
            image = ImageIO.read(in);
        } catch (IOException | RuntimeException e) {
            throw new DataException("cannot decode image " + name + ": " + e.getMessage(), e);
        }
        if (image == null) {
            throw new DataException("cannot decode image " + name
                    + ": no ImageIO reader recognises its content (expected JPEG, PNG or BMP)");
        }
        try {
            return toRgb(image);
        } catch (RuntimeException e) {
            throw new DataException("cannot convert image " + name + " to RGB: " + e.getMessage(), e);
        }
    }

    static FloatImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] out = new float[3 * h * w];
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        boolean gray = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        if (isPlain8Bit(cm, raster, gray)) {
            copyBytes(raster, gray, w, h, out);
        } else if (gray && cm instanceof ComponentColorModel) {
            copyGraySamples(raster, cm.getComponentSize(0), w, h, out);
        } else {
            copyRgbRows(image, w, h, out);
        }
        return new FloatImage(3, h, w, out);
    }

    private static boolean isPlain8Bit(ColorModel cm, Raster raster, boolean gray) {
        return !(cm instanceof IndexColorModel)
                && !cm.isAlphaPremultiplied()
                && raster.getSampleModel() instanceof ComponentSampleModel
                && raster.getDataBuffer() instanceof DataBufferByte
                && (gray ? cm.getNumColorComponents() == 1
                        : cm.getColorSpace().isCS_sRGB() && cm.getNumColorComponents() == 3);
    }

    /** Reads bands 0..2 (R, G, B; or gray three times) straight from the byte buffer. */
    private static void copyBytes(Raster raster, boolean gray, int w, int h, float[] out) {
        ComponentSampleModel sm = (ComponentSampleModel) raster.getSampleModel();
        DataBufferByte buffer = (DataBufferByte) raster.getDataBuffer();
        int tx = raster.getSampleModelTranslateX();
        int ty = raster.getSampleModelTranslateY();
        int pixelStride = sm.getPixelStride();
        int scanlineStride = sm.getScanlineStride();
        int plane = h * w;
        for (int c = 0; c < 3; c++) {
            int band = gray ? 0 : c;
            int bank = sm.getBankIndices()[band];
            byte[] data = buffer.getData(bank);
            int base = buffer.getOffsets()[bank] + sm.getBandOffsets()[band];
            for (int y = 0; y < h; y++) {
                int src = base + (y - ty) * scanlineStride - tx * pixelStride;
                int dst = c * plane + y * w;
                for (int x = 0; x < w; x++, src += pixelStride) {
                    out[dst + x] = (data[src] & 0xff) / 255f;
                }
            }
        }
    }

    /** 16-bit (or other depth) grayscale: raw samples scaled by the depth's maximum. */
    private static void copyGraySamples(Raster raster, int bits, int w, int h, float[] out) {
        float max = (float) ((1L << bits) - 1);
        int[] row = new int[w];
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                float v = row[x] / max;
                out[y * w + x] = v;
                out[plane + y * w + x] = v;
                out[2 * plane + y * w + x] = v;
            }
        }
    }

    /** Anything else: let Java2D convert to packed sRGB, one row per call. */
    private static void copyRgbRows(BufferedImage image, int w, int h, float[] out) {
        int[] row = new int[w];
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                int i = y * w + x;
                out[i] = ((argb >> 16) & 0xff) / 255f;
                out[plane + i] = ((argb >> 8) & 0xff) / 255f;
                out[2 * plane + i] = (argb & 0xff) / 255f;
            }
        }
    }
}
