package io.fixres.data;

import io.fixres.transform.FloatImage;

/** A decoded image in [0, 1] and its class index. */
public record LabeledImage(FloatImage image, int label) {}
