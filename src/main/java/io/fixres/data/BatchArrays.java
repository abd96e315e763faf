package io.fixres.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;

/** Copies a {@link Batch} into NDArrays owned by a (per-batch) manager the caller closes. */
public final class BatchArrays {
    private BatchArrays() {}

    /** The images as an (N, C, H, W) float32 array. */
    public static NDArray images(NDManager manager, Batch batch) {
        int n = batch.size();
        int elements = n * batch.channels() * batch.height() * batch.width();
        return manager.create(
                FloatBuffer.wrap(batch.data(), 0, elements),
                new Shape(n, batch.channels(), batch.height(), batch.width()));
    }

    /** The labels as an (N) int64 array, as the cross-entropy loss expects. */
    public static NDArray labels(NDManager manager, Batch batch) {
        long[] labels = new long[batch.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = batch.labels()[i];
        }
        return manager.create(labels);
    }
}
