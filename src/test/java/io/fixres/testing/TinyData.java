package io.fixres.testing;

import ai.djl.Model;
import io.fixres.data.DataSplits;
import io.fixres.data.ImageDataset;
import io.fixres.data.LabeledImage;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import io.fixres.transform.FloatImage;
import io.fixres.transform.Normalization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small learnable data made by the tests: 1-channel images whose class (0, 1 or 2) is a bright
 * horizontal band in the top, middle or bottom third, over seeded noise.
 */
public final class TinyData {
    public static final int SIDE = 20;
    public static final int CLASSES = 3;
    public static final Normalization NORMALIZATION = new Normalization(new float[] {0.3f}, new float[] {0.3f});

    private TinyData() {}

    /** Pixel values in [0, 1] of image {@code index} of a split ({@code salt} tells the splits apart). */
    static float[] pixels(int index, long salt) {
        SplittableRandom random = new SplittableRandom(salt * 1_000_003L + index);
        int label = index % CLASSES;
        float[] data = new float[SIDE * SIDE];
        for (int y = 0; y < SIDE; y++) {
            boolean band = y / (SIDE / CLASSES + 1) == label;
            for (int x = 0; x < SIDE; x++) {
                data[y * SIDE + x] = (float) Math.min(1.0, (band ? 0.7 : 0.1) + 0.3 * random.nextDouble());
            }
        }
        return data;
    }

    public static ImageDataset dataset(int size, long salt) {
        return new ImageDataset() {
            @Override public int size() { return size; }
            @Override public List<String> classNames() { return List.of("top", "middle", "bottom"); }
            @Override public int channels() { return 1; }
            @Override public LabeledImage get(int index) {
                return new LabeledImage(new FloatImage(1, SIDE, SIDE, pixels(index, salt)), index % CLASSES);
            }
            @Override public String source() { return "tiny-" + salt; }
        };
    }

    public static DataSplits splits(int train, int test) {
        return new DataSplits(dataset(train, 1), dataset(test, 2), "tiny", NORMALIZATION);
    }

    /**
     * Training from scratch of a width-0.25 resnet-small on the tiny data at 16 px with
     * RandomResizedCrop: one epoch, batch 16, seed 5 (seconds on a CPU).
     */
    public static io.fixres.train.FromScratchTraining.Request trainingRequest() {
        return new io.fixres.train.FromScratchTraining.Request("resnet-small", 0.25, 16,
                io.fixres.transform.TrainAugmentation.RRC, 0, false, new io.fixres.train.SgdConfig(1, 16, 0.05f, 0.9f,
                        1e-4f, io.fixres.train.LearningRateSchedule.CONSTANT, 5, 2), false);
    }

    /** A resnet-small for the tiny data, initialised at 16 px, as the block of {@code model}. */
    public static ResNet network(Model model) {
        ResNet net = ResNet.builder().architecture("resnet-small").numClasses(CLASSES).inputChannels(1)
                .widthMultiplier(0.25).build();
        net.initialize(model.getNDManager(), 16);
        model.setBlock(net);
        return net;
    }

    /** A complete card for {@link #network} trained at 16 px with RandomResizedCrop. */
    public static ModelCard card(ResNet net) {
        ModelCard card = ModelCard.forModel(net);
        card.setClassNames(List.of("top", "middle", "bottom"));
        card.setMean(new double[] {0.3});
        card.setStd(new double[] {0.3});
        card.setTrainResolution(16);
        card.setTrainAugmentation(io.fixres.transform.TrainAugmentation.RRC);
        card.setDataset("tiny");
        card.setSeed(0L);
        return card;
    }

    /**
     * Writes the tiny data as a raw IDX directory (the four MNIST-family files) so the CLI can
     * read it with {@code --data DIR}.
     */
    public static Path writeIdx(Path dir, int train, int test) throws IOException {
        Files.createDirectories(dir);
        writeSplit(dir, "train", train, 1);
        writeSplit(dir, "t10k", test, 2);
        return dir;
    }

    private static void writeSplit(Path dir, String prefix, int n, long salt) throws IOException {
        byte[] pixels = new byte[n * SIDE * SIDE];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            float[] image = pixels(i, salt);
            for (int p = 0; p < image.length; p++) {
                pixels[i * SIDE * SIDE + p] = (byte) Math.round(image[p] * 255);
            }
            labels[i] = (byte) (i % CLASSES);
        }
        io.fixres.testing.TinyDatasets.writeIdxSplit(dir, prefix, SIDE, pixels, labels);
    }

}
