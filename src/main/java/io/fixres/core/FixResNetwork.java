package io.fixres.core;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.fixres.io.InvalidParameterException;
import java.util.List;

/**
 * What the FixRes step needs from a classifier (paper section 5): the classifier's parameters,
 * the BatchNorm that closes the trunk (the one re-estimated at the test resolution), every other
 * BatchNorm (held in inference mode), a tap on the activations the supplement studies, and the
 * smallest input worth measuring. Any DJL block can implement it; fixres's {@code ResNet} does.
 *
 * <p>The block's forward takes {@code NDList(images (N, C, H, W))} and returns
 * {@code NDList(logits (N, numClasses))}, and must pass its activations through the
 * {@link #getActivationHook() hook}: {@code preReLU} on the last block's output before its final
 * ReLU, {@code pooled} on the globally pooled features the classifier reads.
 */
public interface FixResNetwork {

    /**
     * The largest input side any resolution parameter accepts: 16 times ImageNet's 256 px test
     * side. One 4096 px RGB image is already 200 MB of floats; 100000 px would be 120 GB.
     */
    int MAX_RESOLUTION = 4096;

    /** The network as a DJL block (usually {@code this}). */
    Block block();

    int numClasses();

    int inputChannels();

    /** fc.weight and fc.bias: the parameters the FixRes step trains. */
    List<Parameter> classifierParameters();

    /** The classifier as a block: pooled features (N, C) to logits (N, classes); its parameters are {@link #classifierParameters()}. */
    Block classifier();

    /** The last BatchNorm before global pooling (ResNet-50: layer4.2.bn3). */
    SwitchableBatchNorm lastBatchNorm();

    /** Every BatchNorm of the network, the last one included. */
    List<SwitchableBatchNorm> allBatchNorms();

    ActivationHook getActivationHook();

    /** Replaces the taps ({@link ActivationHook#IDENTITY} for none). */
    void setActivationHook(ActivationHook hook);

    /** The smallest input side that measures anything (one cell of the final feature map). */
    int minimumUsefulResolution();

    /**
     * Throws {@link IllegalArgumentException} when {@code resolution} is below
     * {@link #minimumUsefulResolution()} or above {@link #MAX_RESOLUTION}, saying so.
     */
    void checkResolution(int resolution);

    /**
     * {@link #checkResolution(int)} for a value the caller named ("test resolution", or a flag):
     * throws an {@link InvalidParameterException} naming {@code parameter} and the accepted range.
     */
    default void checkResolution(String parameter, int resolution) {
        try {
            checkResolution(resolution);
        } catch (IllegalArgumentException e) {
            int min = minimumUsefulResolution();
            throw new InvalidParameterException(parameter, "must be in [" + min + ", " + MAX_RESOLUTION + "] px for "
                    + "this network (" + min + " px: one cell of its final feature map; " + MAX_RESOLUTION
                    + " px: fixres's limit)", resolution);
        }
    }
}
