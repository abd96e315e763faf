package io.fixres.eval;

import ai.djl.nn.Block;
import ai.djl.ndarray.NDManager;
import io.fixres.data.ImageDataset;
import io.fixres.transform.Transform;
import java.util.function.IntConsumer;

/**
 * Single-crop top-1/top-5 accuracy of a classifier in inference mode (every BatchNorm uses its
 * running statistics unless its mode forces otherwise). Runs on the calling thread, which must be
 * the engine's thread: DJL disables autograd recording only there.
 */
public final class AccuracyEvaluator {
    private final InferencePass pass;

    public AccuracyEvaluator(Block net, NDManager manager, int batchSize, int loaderThreads) {
        this.pass = new InferencePass(net, manager, batchSize, loaderThreads);
    }

    /** Accuracy over every image of {@code data} after {@code transform}. */
    public Accuracy evaluate(ImageDataset data, Transform transform, IntConsumer imagesDone) {
        TopKCounter counter = new TopKCounter(5);
        pass.run(data, transform, (logits, batch) -> counter.add(logits.toFloatArray(), batch.labels(), batch.size(),
                (int) logits.getShape().get(1)), imagesDone);
        return counter.result();
    }
}
