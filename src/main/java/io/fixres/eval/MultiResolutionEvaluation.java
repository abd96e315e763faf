package io.fixres.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.fixres.core.FixResNetwork;
import io.fixres.data.Batch;
import io.fixres.data.BatchLoader;
import io.fixres.data.ImageDataset;
import io.fixres.io.InvalidParameterException;
import io.fixres.model.CardTransforms;
import io.fixres.model.ModelCard;
import io.fixres.transform.FloatImage;
import io.fixres.transform.Transform;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Accuracy at several test resolutions in one pass over the data: each image is decoded once and
 * every resolution's test transform (resize to K / crop ratio, centre crop K, the card's
 * normalisation) is applied to that decoded image, so decoding (the cost of real JPEG folders)
 * is paid once instead of once per resolution. Results equal {@link ResolutionEvaluation}'s at
 * each resolution exactly: the test transforms are deterministic and each resolution's batch
 * holds the same images in the same order.
 *
 * <p>The loader's decoder threads pack one image's transformed crops end to end into one flat
 * {@link FloatImage} (1 x 1 x sum of C K^2), so the existing parallel, prefetching
 * {@link BatchLoader} carries them; this class cuts each batch back into one (N, C, K, K) array per
 * resolution. Runs on the engine's thread; each batch's arrays live in a sub-manager closed after it.
 */
public final class MultiResolutionEvaluation {
    private final FixResNetwork net;
    private final ModelCard card;
    private final NDManager manager;
    private final int batchSize;
    private final int loaderThreads;
    private Consumer<String> onSkipped;

    public MultiResolutionEvaluation(FixResNetwork net, ModelCard card, NDManager manager, int batchSize,
                                     int loaderThreads) {
        InvalidParameterException.require(batchSize >= 1, "batch size", "must be >= 1", batchSize);
        this.net = net;
        this.card = card;
        this.manager = manager;
        this.batchSize = batchSize;
        this.loaderThreads = loaderThreads;
    }

    /** Leave out images that fail to decode, handing each message (naming the file) to {@code onSkipped} once. */
    public MultiResolutionEvaluation skippingBadImages(Consumer<String> onSkipped) {
        this.onSkipped = Objects.requireNonNull(onSkipped, "onSkipped");
        return this;
    }

    /**
     * Top-1/top-5 with per-image top-1 outcomes at each resolution, keyed in the order given
     * (duplicates once); {@code imagesDone} counts decoded images (each evaluated at every resolution).
     */
    public Map<Integer, Accuracy> evaluate(ImageDataset data, List<Integer> resolutions, double cropRatio,
                                           IntConsumer imagesDone) {
        List<Integer> ks = List.copyOf(new LinkedHashSet<>(resolutions));
        InvalidParameterException.require(!ks.isEmpty(), "test resolutions", "must name at least one resolution", ks);
        ks.forEach(net::checkResolution);
        int channels = net.inputChannels();
        List<Transform> transforms = new ArrayList<>();
        int[] offsets = new int[ks.size() + 1]; // where each resolution's crop starts in a packed image
        for (int i = 0; i < ks.size(); i++) {
            transforms.add(CardTransforms.test(card, ks.get(i), cropRatio));
            offsets[i + 1] = offsets[i] + channels * ks.get(i) * ks.get(i);
        }
        List<TopKCounter> counters = new ArrayList<>();
        ks.forEach(k -> counters.add(new TopKCounter(5)));
        ParameterStore store = new ParameterStore(manager, false);
        try (BatchLoader loader = BatchLoader.builder(data)
                .transform(packed(transforms, offsets))
                .batchSize(batchSize)
                .shuffle(false)
                .dropLast(false)
                .threads(loaderThreads)
                .skipBadImages(onSkipped != null)
                .build()) {
            for (Batch batch : loader) {
                int n = batch.size();
                int packedLength = offsets[ks.size()];
                for (int i = 0; i < ks.size(); i++) {
                    int k = ks.get(i);
                    int length = offsets[i + 1] - offsets[i];
                    float[] images = new float[n * length];
                    for (int j = 0; j < n; j++) {
                        System.arraycopy(batch.data(), j * packedLength + offsets[i], images, j * length, length);
                    }
                    try (NDManager batchManager = manager.newSubManager()) {
                        NDArray x = batchManager.create(FloatBuffer.wrap(images), new Shape(n, channels, k, k));
                        NDArray logits = net.block().forward(store, new NDList(x), false).singletonOrThrow();
                        counters.get(i).add(logits.toFloatArray(), batch.labels(), n, (int) logits.getShape().get(1));
                    }
                }
                imagesDone.accept(n);
            }
            if (onSkipped != null) {
                loader.skippedMessages().forEach(onSkipped);
            }
        }
        Map<Integer, Accuracy> out = new LinkedHashMap<>();
        for (int i = 0; i < ks.size(); i++) {
            out.put(ks.get(i), counters.get(i).result());
        }
        return out;
    }

    /** One decoded image to its crops at every resolution, end to end in one flat image. */
    private Transform packed(List<Transform> transforms, int[] offsets) {
        int channels = net.inputChannels();
        return (image, rng) -> {
            float[] out = new float[offsets[transforms.size()]];
            for (int i = 0; i < transforms.size(); i++) {
                FloatImage crop = transforms.get(i).apply(image, rng);
                if (crop.channels() != channels || crop.data().length != offsets[i + 1] - offsets[i]) {
                    throw new IllegalArgumentException("test transform gave a " + crop.channels() + "x" + crop.height()
                            + "x" + crop.width() + " image for a network of " + channels + " input channels");
                }
                System.arraycopy(crop.data(), 0, out, offsets[i], crop.data().length);
            }
            return new FloatImage(1, 1, out.length, out);
        };
    }
}
