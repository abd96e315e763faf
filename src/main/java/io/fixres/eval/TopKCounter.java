package io.fixres.eval;

/**
 * Accumulates top-1 / top-k hits from logits. Works on the host copy of the logits: for the
 * classifier sizes this tool sees (10 to 1000 classes) it is cheaper than an argsort on the engine.
 */
public final class TopKCounter {
    private final int k;
    private long images;
    private long top1;
    private long topK;

    public TopKCounter(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        this.k = k;
    }

    /** Adds a batch: {@code logits} is row-major (n x classes). */
    public void add(float[] logits, int[] labels, int n, int classes) {
        int kk = Math.min(k, classes);
        for (int i = 0; i < n; i++) {
            int base = i * classes;
            float target = logits[base + labels[i]];
            // rank = number of classes scoring strictly higher; ties count in the label's favour,
            // as torch.topk does for the first index among equals in practice.
            int higher = 0;
            for (int c = 0; c < classes; c++) {
                if (logits[base + c] > target) {
                    higher++;
                }
            }
            if (higher == 0) {
                top1++;
            }
            if (higher < kk) {
                topK++;
            }
        }
        images += n;
    }

    public Accuracy result() {
        if (images == 0) {
            return new Accuracy(Double.NaN, Double.NaN, 0);
        }
        return new Accuracy(100.0 * top1 / images, 100.0 * topK / images, images);
    }
}
