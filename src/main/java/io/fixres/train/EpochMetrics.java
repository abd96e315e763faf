package io.fixres.train;

/**
 * What one epoch of SGD did: mean training loss and accuracy over the epoch's batches, the
 * learning rate at its end, and optionally held-out top-1 at the training resolution.
 */
public record EpochMetrics(
        int epoch,
        double trainLoss,
        double trainTop1,
        double learningRate,
        long images,
        double seconds,
        Double validTop1) {

    public EpochMetrics withValidTop1(double top1) {
        return new EpochMetrics(epoch, trainLoss, trainTop1, learningRate, images, seconds, top1);
    }
}
