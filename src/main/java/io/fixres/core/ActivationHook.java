package io.fixres.core;


import ai.djl.ndarray.NDArray;

/**
 * Taps into the two places of a ResNet that the supplement's appendix A studies. A hook may
 * record the activations (statistics) or return a transformed array (distribution adaptation);
 * the identity hook changes nothing.
 */
public interface ActivationHook {
    ActivationHook IDENTITY = new ActivationHook() {};

    /** Output of the last residual block before its final ReLU, shape (N, C, H, W) (section A.2). */
    default NDArray preReLU(NDArray activations) { return activations; }

    /** Output of global average pooling, the classifier's input, shape (N, C) (section A.1). */
    default NDArray pooled(NDArray features) { return features; }
}
