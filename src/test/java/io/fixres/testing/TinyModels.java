package io.fixres.testing;

import ai.djl.ndarray.NDManager;
import io.fixres.data.DataException;
import io.fixres.data.ImageDataset;
import io.fixres.data.LabeledImage;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import io.fixres.transform.FloatImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** A narrow small ResNet, its card, and seeded in-memory images, for fast exact tests. */
public final class TinyModels {
    public static final int TRAIN_RES = 16;

    private TinyModels() {}

    /** resnet-small at width 1/4: 8, 16, 32 channels, 32 pooled features. */
    public static ResNet net(NDManager manager) {
        ResNet net = ResNet.builder().architecture("resnet-small").numClasses(10).inputChannels(1)
                .widthMultiplier(0.25).build();
        net.initialize(manager, TRAIN_RES);
        return net;
    }

    public static ModelCard card(ResNet net) {
        return card(net, TRAIN_RES);
    }

    /** A complete card for {@code net}: grey images (mean 0.5, std 0.25), RandomResizedCrop at {@code trainRes}. */
    public static ModelCard card(ResNet net, int trainRes) {
        ModelCard card = ModelCard.forModel(net);
        card.setMean(new double[] {0.5});
        card.setStd(new double[] {0.25});
        card.setTrainResolution(trainRes);
        card.setTrainAugmentation(io.fixres.transform.TrainAugmentation.RRC);
        card.setDataset("synthetic");
        return card;
    }

    /** A randomly initialised {@link #net} saved in {@code dir} with a card saying "rrc, trained at trainRes". */
    public static Path checkpoint(Path dir, int trainRes) throws IOException {
        ai.djl.engine.Engine.getInstance().setRandomSeed(trainRes);
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet net = net(manager);
            io.fixres.model.Checkpoint.save(dir, net, card(net, trainRes));
        }
        return dir;
    }

    /**
     * A randomly initialised 3-channel (RGB) resnet-small of width 1/4 and 10 classes saved in
     * {@code dir}, card "rrc, trained at trainRes", mean 0.5 and std 0.25 per channel: for folders of
     * colour images.
     */
    public static Path rgbCheckpoint(Path dir, int trainRes) throws IOException {
        ai.djl.engine.Engine.getInstance().setRandomSeed(trainRes);
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet net = ResNet.builder().architecture("resnet-small").numClasses(10).inputChannels(3)
                    .widthMultiplier(0.25).build();
            net.initialize(manager, trainRes);
            ModelCard card = card(net, trainRes);
            card.setMean(new double[] {0.5, 0.5, 0.5});
            card.setStd(new double[] {0.25, 0.25, 0.25});
            io.fixres.model.Checkpoint.save(dir, net, card);
        }
        return dir;
    }

    /** {@code n} grayscale 28x28 images of seeded noise plus a label-dependent bar, label i % 10. */
    public static ImageDataset images(int n, long seed) {
        return new ImageDataset() {
            @Override
            public int size() { return n; }

            @Override
            public List<String> classNames() {
                return IntStream.range(0, 10).mapToObj(i -> "c" + i).toList();
            }

            @Override
            public int channels() { return 1; }

            @Override
            public LabeledImage get(int index) {
                if (index < 0 || index >= n) {
                    throw new DataException("no image " + index);
                }
                SplittableRandom rng = new SplittableRandom(seed * 7919 + index);
                float[] pixels = new float[28 * 28];
                int label = index % 10;
                for (int p = 0; p < pixels.length; p++) {
                    int row = p / 28;
                    pixels[p] = (float) (0.3 * rng.nextDouble() + (row / 3 == label ? 0.7 : 0));
                }
                return new LabeledImage(new FloatImage(1, 28, 28, pixels), label);
            }

            @Override
            public String source() { return "synthetic(" + n + ", seed " + seed + ")"; }
        };
    }
}
