package io.fixres.bench;

import io.fixres.data.ImageFolderDataset;
import io.fixres.transform.FloatImage;
import io.fixres.transform.Normalization;
import io.fixres.transform.Pipelines;
import io.fixres.transform.Transform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-image cost of the input pipeline's pieces, single-threaded: JPEG decode of a 500x375 photo
 * (ImageNet's typical size), the test transform at 224 (resize to 256 + centre crop + normalise),
 * the training transform at 224 (RandomResizedCrop + flip + colour jitter), and the Fashion-MNIST
 * test transform at 32. Run: see docs/performance.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class TransformBenchmark {
    private Path folder;
    private ImageFolderDataset jpegs;
    private FloatImage photo;
    private FloatImage fashion;
    private final Transform test224 = Pipelines.testDA(224, Pipelines.DEFAULT_CROP_RATIO, Normalization.IMAGENET);
    private final Transform train224 = Pipelines.trainDA(224, Normalization.IMAGENET, Pipelines.PAPER_JITTER);
    private final Transform test32 = Pipelines.testDA(32, Pipelines.DEFAULT_CROP_RATIO, Normalization.FASHION_MNIST);
    private final SplittableRandom random = new SplittableRandom(1);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        folder = Files.createTempDirectory("fixres-jmh");
        Path file = folder.resolve("val/a/photo.jpg");
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(500, 375, BufferedImage.TYPE_INT_RGB);
        SplittableRandom r = new SplittableRandom(7);
        for (int y = 0; y < 375; y++) {
            for (int x = 0; x < 500; x++) { // smooth gradients plus noise: compresses like a photo (~100 kB)
                int red = Math.min(255, (x * 255 / 500) + r.nextInt(40));
                int green = Math.min(255, (y * 255 / 375) + r.nextInt(40));
                int blue = Math.min(255, ((x + y) * 255 / 875) + r.nextInt(40));
                image.setRGB(x, y, (red << 16) | (green << 8) | blue);
            }
        }
        ImageIO.write(image, "jpg", file.toFile());
        jpegs = ImageFolderDataset.open(folder.resolve("val"));
        photo = jpegs.get(0).image();
        float[] pixels = new float[28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = r.nextInt(256) / 255f;
        }
        fashion = new FloatImage(1, 28, 28, pixels);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(folder.resolve("val/a/photo.jpg"));
        Files.deleteIfExists(folder.resolve("val/a"));
        Files.deleteIfExists(folder.resolve("val"));
        Files.deleteIfExists(folder);
    }

    @Benchmark
    public FloatImage decodeJpeg500x375() {
        return jpegs.get(0).image();
    }

    @Benchmark
    public FloatImage testTransform224() {
        return test224.apply(photo, random);
    }

    @Benchmark
    public FloatImage trainTransform224() {
        return train224.apply(photo, random);
    }

    @Benchmark
    public FloatImage decodeAndTestTransform224() {
        return test224.apply(jpegs.get(0).image(), random);
    }

    @Benchmark
    public FloatImage testTransform32FashionMnist() {
        return test32.apply(fashion, random);
    }
}
