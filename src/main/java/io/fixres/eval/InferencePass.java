package io.fixres.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.fixres.data.Batch;
import io.fixres.data.BatchArrays;
import io.fixres.data.BatchLoader;
import io.fixres.data.ImageDataset;
import io.fixres.io.InvalidParameterException;
import io.fixres.transform.Transform;
import java.util.function.IntConsumer;

/**
 * One inference pass of a network over a data set (in order, last partial batch kept): what the
 * statistics and feature passes of the one-pass FixRes step run, with whatever observers and
 * hooks the caller installed on the network. Runs on the calling thread, which must be the
 * engine's; each batch's arrays live in a sub-manager closed after {@code onBatch} returns.
 */
public final class InferencePass {
    /** Receives each batch's logits (N, classes) and the batch they came from. */
    @FunctionalInterface
    public interface BatchConsumer {
        void accept(NDArray logits, Batch batch);
    }

    private final Block net;
    private final NDManager manager;
    private final int batchSize;
    private final int loaderThreads;

    public InferencePass(Block net, NDManager manager, int batchSize, int loaderThreads) {
        InvalidParameterException.require(batchSize >= 1, "batch size", "must be >= 1", batchSize);
        this.net = net;
        this.manager = manager;
        this.batchSize = batchSize;
        this.loaderThreads = loaderThreads;
    }

    /** Runs every image of {@code data} through {@code transform} and the network. */
    public void run(ImageDataset data, Transform transform, BatchConsumer onBatch, IntConsumer imagesDone) {
        ParameterStore store = new ParameterStore(manager, false);
        try (BatchLoader loader = BatchLoader.builder(data).transform(transform).batchSize(batchSize)
                .shuffle(false).dropLast(false).threads(loaderThreads).build()) {
            for (Batch batch : loader) {
                try (NDManager batchManager = manager.newSubManager()) {
                    NDArray x = BatchArrays.images(batchManager, batch);
                    onBatch.accept(net.forward(store, new NDList(x), false).singletonOrThrow(), batch);
                }
                imagesDone.accept(batch.size());
            }
        }
    }
}
