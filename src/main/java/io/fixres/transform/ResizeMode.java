package io.fixres.transform;

import java.util.Locale;

/** Which image side a single-number resize sets. */
public enum ResizeMode {
    /** torchvision {@code Resize(size)}: the shorter side becomes {@code size} (the ecosystem convention). */
    SHORTER_SIDE,
    /** The FixRes authors' test resize: the height becomes {@code size} whatever the orientation. */
    HEIGHT;

    /** Parses {@code shorter-side} / {@code height} (case-insensitive, {@code _} or {@code -}). */
    public static ResizeMode parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (t) {
            case "shorter-side", "shorter", "short" -> SHORTER_SIDE;
            case "height" -> HEIGHT;
            default -> throw new IllegalArgumentException(
                    "resize mode '" + text + "': expected shorter-side or height");
        };
    }
}
