package io.fixres.spark;

import io.fixres.data.ImageDataset;
import java.io.Serializable;
import java.util.List;

/**
 * Where a distributed pass's images come from. The driver lists them once ({@link #refs}); each
 * partition opens only its own ({@link #open}), on whichever executor runs it.
 */
public interface ImageSource extends Serializable {
    /** Short name for reports and JSON (as the single-machine commands print it). */
    String name();

    /** Every image, in the split's order (positions 0..n-1). Driver only. */
    List<ImageRef> refs();

    /** Class names in label order (empty for unlabelled images). */
    List<String> classNames();

    /** The images of {@code refs} (one partition's), in that order. Executor side. */
    ImageDataset open(List<ImageRef> refs);

    /** A seeded subset of n of these images, the one {@code Subsets.limit(images, n, seed)} picks on one machine. */
    ImageSource limit(int n, long seed);

    /** True when the images carry labels (accuracy can be measured). */
    default boolean labelled() { return !classNames().isEmpty(); }
}
