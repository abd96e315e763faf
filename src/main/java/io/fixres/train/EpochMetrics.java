package io.fixres.train;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What one epoch of SGD did: mean training loss and accuracy over the epoch's batches, the
 * learning rate at its end, and optionally held-out top-1 at the training resolution.
 */
public record EpochMetrics(
        @JsonProperty("epoch") int epoch,
        @JsonProperty("train_loss") double trainLoss,
        @JsonProperty("train_top1") double trainTop1,
        @JsonProperty("lr") double learningRate,
        @JsonProperty("images") long images,
        @JsonProperty("seconds") double seconds,
        @JsonProperty("test_top1") Double validTop1) {

    public EpochMetrics withValidTop1(double top1) {
        return new EpochMetrics(epoch, trainLoss, trainTop1, learningRate, images, seconds, top1);
    }
}
