package io.fixres.eval;

/** Top-1 and top-5 accuracy in percent over {@code images} images. */
public record Accuracy(double top1, double top5, long images) {}
