package io.fixres.data;

import io.fixres.transform.Normalization;
import java.util.Objects;

/**
 * A dataset ready for the train/eval loops: its two splits, a short name for cards and reports,
 * and the per-channel normalisation its models are trained with.
 */
public record DataSplits(ImageDataset train, ImageDataset test, String name, Normalization normalization) {
    public DataSplits {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(test, "test");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(normalization, "normalization");
    }
}
