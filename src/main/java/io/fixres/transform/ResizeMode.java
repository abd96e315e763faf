package io.fixres.transform;

import com.fasterxml.jackson.annotation.JsonValue;

/** Which image side a single-number resize sets. */
public enum ResizeMode {
    /** torchvision {@code Resize(size)}: the shorter side becomes {@code size} (the ecosystem convention). */
    SHORTER_SIDE("shorter-side"),
    /** The FixRes authors' test resize: the height becomes {@code size} whatever the orientation. */
    HEIGHT("height");

    private final String id;

    ResizeMode(String id) { this.id = id; }

    /** The name in model cards and on the command line. */
    @JsonValue
    public String id() { return id; }

    @Override
    public String toString() { return id; }
}
