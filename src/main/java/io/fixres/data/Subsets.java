package io.fixres.data;

import java.util.Arrays;

/** Fixed, seeded subsets of a dataset (for quick experiments on part of the data). */
public final class Subsets {
    /** Tag so the subset and the loader's shuffle never draw the same permutation from one seed. */
    private static final long SUBSET_STREAM = 0x5375627365747321L;

    private Subsets() {}

    /** Samples {@code indices} of {@code dataset}, in that order (e.g. one partition of a distributed pass). */
    public static ImageDataset select(ImageDataset dataset, int[] indices) {
        return new SubsetDataset(dataset, indices, dataset.source() + " [" + indices.length + " selected]");
    }

    /**
     * The first {@code n} indices of a seeded permutation, sorted so that the subset keeps the
     * dataset's order; the same (dataset size, n, seed) always gives the same subset.
     * Returns {@code dataset} itself when {@code n >= dataset.size()}.
     */
    public static ImageDataset limit(ImageDataset dataset, int n, long seed) {
        if (n <= 0) {
            throw new IllegalArgumentException("subset size must be positive, got " + n);
        }
        if (n >= dataset.size()) {
            return dataset;
        }
        int[] indices = Arrays.copyOf(Seeds.permutation(dataset.size(), Seeds.mix(SUBSET_STREAM, seed)), n);
        Arrays.sort(indices);
        return new SubsetDataset(dataset, indices,
                dataset.source() + " [subset of " + n + "/" + dataset.size() + ", seed " + seed + "]");
    }

    /** A split of one dataset into disjoint parts: {@code heldOut} and everything else, {@code rest}. */
    public record Split(ImageDataset heldOut, ImageDataset rest) {}

    /**
     * Holds {@code n} images out of {@code dataset}: the held-out part is exactly
     * {@link #limit limit(dataset, n, seed)}, the rest is every other image, both in the dataset's
     * order, so a model can be tuned on one part and measured on the other.
     *
     * @throws IllegalArgumentException unless {@code 0 < n < dataset.size()}
     */
    public static Split split(ImageDataset dataset, int n, long seed) {
        if (n <= 0 || n >= dataset.size()) {
            throw new IllegalArgumentException("cannot hold out " + n + " of the " + dataset.size() + " images of "
                    + dataset.source() + ": expected between 1 and " + (dataset.size() - 1));
        }
        int[] permutation = Seeds.permutation(dataset.size(), Seeds.mix(SUBSET_STREAM, seed));
        int[] held = Arrays.copyOf(permutation, n);
        int[] rest = Arrays.copyOfRange(permutation, n, permutation.length);
        Arrays.sort(held);
        Arrays.sort(rest);
        return new Split(
                new SubsetDataset(dataset, held, dataset.source() + " [held out " + n + "/" + dataset.size() + ", seed " + seed + "]"),
                new SubsetDataset(dataset, rest, dataset.source() + " [all but " + n + " held out, seed " + seed + "]"));
    }
}
