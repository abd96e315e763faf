package io.fixres.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.fixres.core.ActivationHook;
import io.fixres.core.SwitchableBatchNorm;
import java.util.ArrayList;
import java.util.List;

/**
 * What makes the one-pass FixRes step a single pass: while the statistics pass runs (the last
 * BatchNorm still on its old running statistics), it keeps that BatchNorm's input {@code x} and
 * the last block's pre-ReLU output {@code p = bn_old(x) + r}, where {@code r} (the residual path)
 * does not depend on the BatchNorm. Once the exact statistics are known, the pre-ReLU output with
 * them is {@code p + a x + b} per channel (BatchNorm is affine in x), and the pooled features are
 * {@code mean_hw relu(p + a x + b)}: no second pass over the images. It keeps nothing, and says so
 * ({@link #complete()} false), once the activations would exceed its memory budget; the caller
 * then runs the feature pass.
 */
final class LastBlockCapture implements ActivationHook {
    private final long budgetBytes;
    private final List<float[]> inputs = new ArrayList<>();
    private final List<float[]> preReLU = new ArrayList<>();
    private final List<int[]> labels = new ArrayList<>();
    private final List<Integer> sizes = new ArrayList<>();
    private long bytes;
    private boolean overflowed;
    private int channels;
    private int height;
    private int width;
    private int spatial;

    LastBlockCapture(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** The last BatchNorm's input observer. */
    void observeInput(NDArray x) {
        if (overflowed) {
            return;
        }
        Shape s = x.getShape();
        channels = (int) s.get(1);
        height = (int) s.get(2);
        width = (int) s.get(3);
        spatial = height * width;
        bytes += 2L * s.size() * Float.BYTES;
        if (bytes > budgetBytes) {
            overflow();
            return;
        }
        inputs.add(x.toFloatArray());
    }

    @Override
    public NDArray preReLU(NDArray activations) {
        if (!overflowed) {
            if (activations.getShape().size() != (long) activations.getShape().get(0) * channels * spatial) {
                throw new IllegalStateException("the last block's pre-ReLU output " + activations.getShape()
                        + " does not have the shape of its last BatchNorm's input: the network does not fit the one-pass step");
            }
            preReLU.add(activations.toFloatArray());
        }
        return activations;
    }

    /** The labels of the batch just run (the pass's consumer calls it). */
    void batchDone(int[] batchLabels, int n) {
        if (!overflowed) {
            labels.add(java.util.Arrays.copyOf(batchLabels, n));
            sizes.add(n);
        }
    }

    private void overflow() {
        overflowed = true;
        inputs.clear();
        preReLU.clear();
        labels.clear();
        sizes.clear();
    }

    /** True when every batch of the pass was kept. */
    boolean complete() {
        return !overflowed && !sizes.isEmpty();
    }

    /** Batches kept, in pass order. */
    int batches() {
        return sizes.size();
    }

    /** Images of batch {@code i}. */
    int batchSize(int i) {
        return sizes.get(i);
    }

    /** Labels of batch {@code i}. */
    int[] labels(int i) {
        return labels.get(i);
    }

    /** Channels of the last BatchNorm. */
    int channels() {
        return channels;
    }

    /** Height and width of the last block's output. */
    int height() {
        return height;
    }

    int width() {
        return width;
    }

    /** Batch {@code i}'s pre-ReLU output {@code p + a[c] x + b[c]} (n x C x H x W, row-major). */
    float[] preReLU(int i, double[] a, double[] b) {
        int n = sizes.get(i);
        float[] x = inputs.get(i);
        float[] p = preReLU.get(i);
        float[] out = new float[n * channels * spatial];
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < channels; c++) {
                int base = (s * channels + c) * spatial;
                for (int k = 0; k < spatial; k++) {
                    out[base + k] = (float) (p[base + k] + a[c] * x[base + k] + b[c]);
                }
            }
        }
        return out;
    }

    /**
     * Batch {@code i}'s pooled features (n x C, row-major) when the last block's pre-ReLU output is
     * {@code p + a[c] x + b[c]}: the mean over positions of its ReLU.
     */
    float[] pooled(int i, double[] a, double[] b) {
        int n = sizes.get(i);
        float[] x = inputs.get(i);
        float[] p = preReLU.get(i);
        float[] pooled = new float[n * channels];
        for (int s = 0; s < n; s++) {
            for (int c = 0; c < channels; c++) {
                int base = (s * channels + c) * spatial;
                double sum = 0;
                for (int k = 0; k < spatial; k++) {
                    double v = p[base + k] + a[c] * x[base + k] + b[c];
                    if (v > 0) {
                        sum += v;
                    }
                }
                pooled[s * channels + c] = (float) (sum / spatial);
            }
        }
        return pooled;
    }

    /**
     * The pooled features with {@code bn}'s new running statistics, given the old ones the pass
     * ran with, added to {@code cache} in pass order.
     */
    void features(SwitchableBatchNorm bn, float[] oldMean, float[] oldVar, FeatureCache cache) {
        float[] gamma = bn.gamma().getArray().toFloatArray();
        float[] newMean = bn.runningMean().getArray().toFloatArray();
        float[] newVar = bn.runningVar().getArray().toFloatArray();
        double eps = bn.epsilon();
        double[] a = new double[channels];
        double[] b = new double[channels];
        for (int c = 0; c < channels; c++) {
            double so = Math.sqrt(oldVar[c] + eps);
            double sn = Math.sqrt(newVar[c] + eps);
            a[c] = gamma[c] * (1 / sn - 1 / so);
            b[c] = gamma[c] * (oldMean[c] / so - newMean[c] / sn);
        }
        for (int i = 0; i < sizes.size(); i++) {
            cache.add(pooled(i, a, b), labels.get(i), sizes.get(i));
        }
        cache.finish();
    }
}
