package io.fixres.train;

import io.fixres.io.InvalidParameterException;

/**
 * Hyper-parameters of an SGD run: from-scratch training and FixRes fine-tuning share them.
 *
 * @param epochs passes over the training data
 * @param batchSize images per optimizer step
 * @param learningRate initial learning rate
 * @param momentum SGD momentum (0.9 in the paper and torchvision's recipe)
 * @param weightDecay L2 weight decay (1e-4 in the paper)
 * @param schedule how the learning rate decays over the run
 * @param seed seeds shuffling and augmentation
 * @param loaderThreads decoder threads building batches beside the engine
 */
public record SgdConfig(
        int epochs,
        int batchSize,
        float learningRate,
        float momentum,
        float weightDecay,
        LearningRateSchedule schedule,
        long seed,
        int loaderThreads) {

    public SgdConfig {
        InvalidParameterException.require(epochs >= 1, "epochs", "must be >= 1", epochs);
        // BatchNorm in training mode needs more than one value per channel.
        InvalidParameterException.require(batchSize >= 2, "batch size", "must be >= 2", batchSize);
        InvalidParameterException.require(learningRate > 0 && Float.isFinite(learningRate), "learning rate",
                "must be a positive number", learningRate);
        InvalidParameterException.require(momentum >= 0 && momentum < 1, "momentum", "must be in [0, 1)", momentum);
        InvalidParameterException.require(weightDecay >= 0 && Float.isFinite(weightDecay), "weight decay",
                "must be >= 0", weightDecay);
        InvalidParameterException.require(loaderThreads >= 1, "threads", "must be >= 1", loaderThreads);
    }
}
