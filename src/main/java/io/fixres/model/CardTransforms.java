package io.fixres.model;

import io.fixres.transform.Normalization;
import io.fixres.transform.Pipelines;
import io.fixres.transform.ResizeMode;
import io.fixres.transform.Transform;

/**
 * The input pipelines a model card prescribes: its normalisation, crop ratio and resize mode
 * travel with the weights (like timm's pretrained config), so every command prepares images the
 * way the model was trained and evaluated.
 */
public final class CardTransforms {
    private CardTransforms() {}

    public static Normalization normalization(ModelCard card) {
        return new Normalization(toFloats(card.getMean()), toFloats(card.getStd()));
    }

    public static ResizeMode resizeMode(ModelCard card) {
        return card.getResizeMode();
    }

    /** The test transform at {@code k}: resize to floor(k / cropRatio), centre crop k. */
    public static Transform test(ModelCard card, int k, double cropRatio) {
        return Pipelines.testDA(k, cropRatio, resizeMode(card), normalization(card));
    }

    public static Transform test(ModelCard card, int k) {
        return test(card, k, card.getTestCropRatio());
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
