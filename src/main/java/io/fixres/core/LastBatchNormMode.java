package io.fixres.core;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What the last BatchNorm does while the classifier is fine-tuned (supplement Table 6, "Batch-norm"). */
public enum LastBatchNormMode {
    /** Classifier only: the last BN stays in inference mode (Table 6, "Batch-norm -"). */
    NONE,
    /**
     * The published code: the last BN normalises with batch statistics and updates its running
     * mean/var (PyTorch momentum 0.1); gamma/beta frozen.
     */
    STATS,
    /** As {@link #STATS}, and gamma/beta are trained too (the paper's "fine-tuning the batch-norm" read literally). */
    AFFINE;

    /** The name in JSON and on the command line: none, stats, affine. */
    @JsonValue
    public String id() { return name().toLowerCase(Locale.ROOT); }

    @Override
    public String toString() { return id(); }
}
