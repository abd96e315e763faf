package io.fixres.cli;

import io.fixres.data.DataSplits;
import io.fixres.data.DatasetResolver;
import io.fixres.data.Subsets;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the images come from, and how much of them to use. */
public final class DataOptions {
    @Option(names = "--data", paramLabel = "D", defaultValue = "fashion-mnist",
            description = "fashion-mnist (default), an IDX directory, or an ImageFolder with train/ and val/.")
    String data;

    @Option(names = "--limit-train", paramLabel = "N",
            description = "Use a fixed, seeded subset of N training images.")
    Integer limitTrain;

    @Option(names = "--limit-test", paramLabel = "N",
            description = "Use a fixed, seeded subset of N test images.")
    Integer limitTest;

    @Mixin ImageLimitOption imageLimit;

    /** The --data value as typed. */
    public String spec() { return data; }

    /** --limit-train, or null. */
    public Integer limitTrain() { return limitTrain == null ? null : positive(limitTrain, "--limit-train"); }

    /** --limit-test, or null. */
    public Integer limitTest() { return limitTest == null ? null : positive(limitTest, "--limit-test"); }

    /** Resolves the data and applies the limits (seeded, so every command sees the same subset). */
    public DataSplits load(long seed) {
        imageLimit.apply();
        DataSplits splits = DatasetResolver.standard().resolve(data);
        return new DataSplits(
                limitTrain == null ? splits.train() : Subsets.limit(splits.train(), positive(limitTrain, "--limit-train"), seed),
                limitTest == null ? splits.test() : Subsets.limit(splits.test(), positive(limitTest, "--limit-test"), seed + 1),
                splits.name(),
                splits.normalization());
    }

    private static int positive(int n, String flag) {
        if (n < 1) {
            throw new IllegalArgumentException(flag + " must be >= 1, got " + n);
        }
        return n;
    }
}
