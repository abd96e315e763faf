package io.fixres.eval;

import java.util.BitSet;

/**
 * Accumulates top-1 / top-k hits from logits, and which images were right at top-1 (for paired
 * comparisons on the same images). Works on the host copy of the logits: for the classifier sizes
 * this tool sees (10 to 1000 classes) it is cheaper than an argsort on the engine.
 *
 * <p>Ties are broken as torchvision's and timm's {@code accuracy} do through {@code topk}: among
 * equal scores the lower class index ranks first, so a constant classifier is right only on class
 * 0 (about 1/classes), not on every image. A non-finite logit for the label makes the image a miss.
 */
public final class TopKCounter {
    private final int k;
    private final BitSet top1Correct = new BitSet();
    private long images;
    private long top1;
    private long topK;

    public TopKCounter(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        this.k = k;
    }

    /** Adds a batch: {@code logits} is row-major (n x classes); images are numbered in the order added. */
    public void add(float[] logits, int[] labels, int n, int classes) {
        int kk = Math.min(k, classes);
        for (int i = 0; i < n; i++) {
            int rank = rankOfLabel(logits, i * classes, classes, labels[i]);
            if (rank == 0) {
                top1++;
                top1Correct.set((int) images + i);
            }
            if (rank < kk) {
                topK++;
            }
        }
        images += n;
    }

    /** 0-based rank of {@code label} in one row; {@code classes} (never a hit) when its score is not finite. */
    static int rankOfLabel(float[] logits, int base, int classes, int label) {
        float target = logits[base + label];
        if (!Float.isFinite(target)) {
            return classes;
        }
        int rank = 0;
        for (int c = 0; c < classes; c++) {
            float v = logits[base + c];
            if (v > target || (v == target && c < label) || Float.isNaN(v)) {
                rank++;
            }
        }
        return rank;
    }

    public Accuracy result() {
        if (images == 0) {
            return new Accuracy(Double.NaN, Double.NaN, 0);
        }
        return new Accuracy(100.0 * top1 / images, 100.0 * topK / images, images,
                new Top1Outcomes((BitSet) top1Correct.clone(), (int) images));
    }
}
