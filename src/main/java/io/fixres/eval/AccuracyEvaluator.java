package io.fixres.eval;

import io.fixres.io.InvalidParameterException;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.fixres.data.Batch;
import io.fixres.data.BatchArrays;
import io.fixres.data.BatchLoader;
import io.fixres.data.ImageDataset;
import io.fixres.transform.Transform;
import java.util.function.IntConsumer;

/**
 * Single-crop top-1/top-5 accuracy of a classifier in inference mode (every BatchNorm uses its
 * running statistics unless its mode forces otherwise). Runs on the calling thread, which must be
 * the engine's thread: DJL disables autograd recording only there.
 */
public final class AccuracyEvaluator {
    private final Block net;
    private final NDManager manager;
    private final int batchSize;
    private final int loaderThreads;

    public AccuracyEvaluator(Block net, NDManager manager, int batchSize, int loaderThreads) {
        InvalidParameterException.require(batchSize >= 1, "batch size", "must be >= 1", batchSize);
        this.net = net;
        this.manager = manager;
        this.batchSize = batchSize;
        this.loaderThreads = loaderThreads;
    }

    /** Accuracy over every image of {@code data} after {@code transform}. */
    public Accuracy evaluate(ImageDataset data, Transform transform, IntConsumer imagesDone) {
        TopKCounter counter = new TopKCounter(5);
        ParameterStore store = new ParameterStore(manager, false);
        try (BatchLoader loader = BatchLoader.builder(data)
                .transform(transform)
                .batchSize(batchSize)
                .shuffle(false)
                .dropLast(false)
                .threads(loaderThreads)
                .build()) {
            for (Batch batch : loader) {
                try (NDManager batchManager = manager.newSubManager()) {
                    NDArray x = BatchArrays.images(batchManager, batch);
                    NDArray logits = net.forward(store, new NDList(x), false).singletonOrThrow();
                    int classes = (int) logits.getShape().get(1);
                    counter.add(logits.toFloatArray(), batch.labels(), batch.size(), classes);
                }
                imagesDone.accept(batch.size());
            }
        }
        return counter.result();
    }
}
