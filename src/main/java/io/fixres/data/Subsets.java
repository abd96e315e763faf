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
}
