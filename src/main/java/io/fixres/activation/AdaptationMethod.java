package io.fixres.activation;

import com.fasterxml.jackson.annotation.JsonValue;

/** The two parameter-free distribution adaptations of supplement A (Table 4). */
public enum AdaptationMethod {
    /** A.1: affine map of the non-zero pooled features matching the Fréchet fits (zeros stay zero). */
    FRECHET("frechet", "Fréchet (A.1)"),
    /** A.2: per-channel affine map before the last ReLU matching mean and standard deviation. */
    GAUSSIAN("gaussian", "Gaussian (A.2)");

    private final String id;
    private final String label;

    AdaptationMethod(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /** The name on the command line and in model cards. */
    @JsonValue
    public String id() { return id; }

    /** The name in tables. */
    public String label() { return label; }

    @Override
    public String toString() { return id; }
}
