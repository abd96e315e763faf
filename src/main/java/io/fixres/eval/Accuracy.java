package io.fixres.eval;

/**
 * Top-1 and top-5 accuracy in percent over {@code images} images, with which images were right at
 * top-1 when they were recorded ({@code null} for accuracies read back from older results).
 */
public record Accuracy(double top1, double top5, long images, Top1Outcomes outcomes) {

    public Accuracy(double top1, double top5, long images) {
        this(top1, top5, images, null);
    }
}
