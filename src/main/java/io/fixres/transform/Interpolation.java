package io.fixres.transform;

import com.fasterxml.jackson.annotation.JsonValue;

/** The resampling filter of every resize (the only one fixres implements, torchvision's default for images). */
public enum Interpolation {
    /** Antialiased bilinear ({@link BilinearResampler}, libtorch's {@code interpolate(antialias=True)}). */
    BILINEAR("bilinear");

    private final String id;

    Interpolation(String id) { this.id = id; }

    @JsonValue
    public String id() { return id; }

    @Override
    public String toString() { return id; }
}
