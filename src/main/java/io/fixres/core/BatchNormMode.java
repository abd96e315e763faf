package io.fixres.core;

/**
 * How one BatchNorm layer chooses between batch statistics (training) and running statistics
 * (inference). DJL passes one training flag down the whole block tree, with no per-layer
 * {@code eval()}; the FixRes step needs the trunk in inference mode and only the last BatchNorm on
 * batch statistics, so each layer carries a mode.
 */
public enum BatchNormMode {
    /** Use the training flag of the forward call (PyTorch's usual train()/eval()). */
    FOLLOW,
    /** Always normalise with the running statistics and never update them. */
    EVAL,
    /** Always normalise with batch statistics and update the running statistics in place. */
    TRAIN;

    public boolean usesBatchStatistics(boolean training) {
        return switch (this) {
            case FOLLOW -> training;
            case EVAL -> false;
            case TRAIN -> true;
        };
    }
}
