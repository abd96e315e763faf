package io.fixres.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fixres.testing.CliRun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train, evaluate and finetune on an ImageFolder of real JPEG files: mixed sizes and aspect
 * ratios, a grayscale and a CMYK JPEG, and one corrupt file in val/. Documented behaviour: without
 * --skip-bad-images the corrupt file stops evaluate (and finetune, which evaluates before and
 * after) with exit code 1 and a message naming it; with it, evaluate leaves the file out, counts
 * and names it, and evaluates every other image.
 */
class ImageFolderEndToEndTest {
    private static final List<String> CLASSES = List.of("circle", "square", "stripes");
    private static final int[][] SIZES = {{48, 36}, {40, 40}, {30, 52}, {64, 48}};

    @TempDir
    static Path tmp;
    static Path root;
    static Path model;
    static Path corrupt;
    static Path gray;
    static Path cmyk;

    @BeforeAll
    static void makeFolderAndTrain() throws Exception {
        root = tmp.resolve("shapes");
        for (String split : List.of("train", "val")) {
            for (int c = 0; c < CLASSES.size(); c++) {
                for (int i = 0; i < SIZES.length; i++) {
                    Path file = root.resolve(split).resolve(CLASSES.get(c)).resolve(split + i + ".jpg");
                    Files.createDirectories(file.getParent());
                    assertThat(ImageIO.write(drawing(c, SIZES[i][0], SIZES[i][1], i), "jpg", file.toFile())).isTrue();
                }
            }
        }
        gray = root.resolve("val/circle/gray.jpg");
        BufferedImage grayImage = new BufferedImage(50, 35, BufferedImage.TYPE_BYTE_GRAY);
        grayImage.getGraphics().drawImage(drawing(0, 50, 35, 1), 0, 0, null);
        assertThat(ImageIO.write(grayImage, "jpg", gray.toFile())).isTrue();
        cmyk = writeCmykJpeg(root.resolve("val/square/cmyk.jpg"), 44, 33);
        corrupt = Files.write(root.resolve("val/stripes/broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});

        model = tmp.resolve("model");
        CliRun train = CliRun.of("train", "--data", root.toString(), "--model", "resnet-small", "--width", "0.25",
                "--train-res", "16", "--epochs", "1", "--batch-size", "4", "--no-validate", "--threads", "2",
                "--out", model.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();
    }

    /** Class 0: a disc, 1: a square, 2: stripes; colours vary with the image index. */
    private static BufferedImage drawing(int cls, int w, int h, int index) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = (x - w / 2.0) / w;
                double dy = (y - h / 2.0) / h;
                boolean on = switch (cls) {
                    case 0 -> dx * dx + dy * dy < 0.09;
                    case 1 -> Math.abs(dx) < 0.3 && Math.abs(dy) < 0.3;
                    default -> (x / 4) % 2 == 0;
                };
                image.setRGB(x, y, on ? 0xE0E0E0 - index * 0x102030 : 0x202020 + index * 0x080808);
            }
        }
        return image;
    }

    /** A 4-component (CMYK) JPEG: the JDK writer stores a 4-band raster as is. */
    private static Path writeCmykJpeg(Path file, int w, int h) throws IOException {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                raster.setPixel(x, y, new int[] {x * 5 % 256, y * 7 % 256, 128, 20});
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.write(new IIOImage(raster, null, null));
        } finally {
            writer.dispose();
        }
        return file;
    }

    private static CliRun evaluate(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("evaluate", "--model", model.toString(),
                "--data", root.toString(), "--test-res", "16,24", "--batch-size", "5", "--threads", "2"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void finetuneStopsOnTheCorruptFileAndRunsOnTheFolderWithoutIt() throws Exception {
        CliRun stopped = CliRun.of("finetune", "--model", model.toString(), "--data", root.toString(), "--test-res", "24",
                "--epochs", "1", "--batch-size", "4", "--threads", "2", "--timing-steps", "0",
                "--out", tmp.resolve("ft-stopped").toString());
        assertThat(stopped.exitCode()).isEqualTo(1);
        assertThat(stopped.err()).contains("fixres finetune: error: cannot decode image " + corrupt + ": ");

        Path clean = tmp.resolve("clean");
        try (var files = Files.walk(root)) {
            for (Path from : files.filter(Files::isRegularFile).filter(p -> !p.equals(corrupt)).toList()) {
                Path to = clean.resolve(root.relativize(from).toString());
                Files.createDirectories(to.getParent());
                Files.copy(from, to);
            }
        }
        Path out = tmp.resolve("ft");
        CliRun run = CliRun.of("finetune", "--model", model.toString(), "--data", clean.toString(), "--test-res", "24",
                "--epochs", "1", "--batch-size", "4", "--threads", "2", "--timing-steps", "0", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("top-1 at 24 px: ");
        JsonNode card = new ObjectMapper().readTree(out.resolve("model.json").toFile());
        assertThat(card.get("fine_tunings")).hasSize(1);
        assertThat(card.get("fine_tunings").get(0).get("test_resolution").asInt()).isEqualTo(24);
        assertThat(card.get("recommended_test_resolution").asInt()).isEqualTo(24);
    }

    @Test
    void recalibrateReadsAPlainFolderOfImagesWithoutLabels() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        for (String name : List.of("train0.jpg", "train1.jpg", "train2.jpg")) {
            Files.copy(root.resolve("train/circle").resolve(name), plain.resolve("circle-" + name));
            Files.copy(root.resolve("train/square").resolve(name), plain.resolve("square-" + name));
        }
        Path out = tmp.resolve("recalibrated");
        CliRun run = CliRun.of("recalibrate", "--model", model.toString(), "--data", plain.toString(), "--test-res", "20",
                "--batch-size", "4", "--out", out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("recalibrated 1 BatchNorm at 20 px from 6 images")
                .contains("no labelled test split: accuracy not measured");
        assertThat(out.resolve("model.json")).isRegularFile();
    }

    @Test
    void aCorruptImageStopsEvaluateNamingTheFile() {
        CliRun run = evaluate();
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("fixres evaluate: error: cannot decode image " + corrupt + ": ")
                .doesNotContain("\tat ");
    }

    @Test
    void withSkipBadImagesTheCorruptFileIsCountedNamedAndLeftOut() throws Exception {
        Path json = tmp.resolve("eval.json");
        CliRun run = evaluate("--skip-bad-images", "--json", json.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("fixres evaluate: skipped 1 unreadable image (--skip-bad-images):"
                + System.lineSeparator() + "  cannot decode image " + corrupt + ": ");
        JsonNode result = new ObjectMapper().readTree(json.toFile());
        int valImages = CLASSES.size() * SIZES.length + 2; // + gray + CMYK, both decoded
        for (JsonNode r : result.get("results")) {
            assertThat(r.get("images").asInt()).as("images at %s", r.get("test_res")).isEqualTo(valImages);
        }
        assertThat(result.get("results")).hasSize(2);
        assertThat(result.get("skipped_images")).hasSize(1);
        assertThat(result.get("skipped_images").get(0).asText()).startsWith("cannot decode image " + corrupt);
        assertThat(run.out()).contains("Accuracy by test resolution (train 16 px)");
    }
}
