package io.fixres.train;

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
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 2) {
            // BatchNorm in training mode needs more than one value per channel.
            throw new IllegalArgumentException("--batch-size must be >= 2, got " + batchSize);
        }
        if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + learningRate);
        }
        if (momentum < 0 || momentum >= 1) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (weightDecay < 0) {
            throw new IllegalArgumentException("--weight-decay must be >= 0, got " + weightDecay);
        }
        if (loaderThreads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + loaderThreads);
        }
    }
}
