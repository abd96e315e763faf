package io.fixres.transform;

import java.util.Locale;

/** The training augmentations the CLI offers ({@code --train-aug rrc|resize-crop}). */
public enum TrainAugmentation {
    /** RandomResizedCrop, the paper's train DA. */
    RRC("rrc"),
    /** Resize + fixed-size random crop, supplement section D. */
    RESIZE_CROP("resize-crop");

    private final String cliName;

    TrainAugmentation(String cliName) { this.cliName = cliName; }

    public String cliName() { return cliName; }

    public static TrainAugmentation parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (TrainAugmentation a : values()) {
            if (a.cliName.equals(t)) {
                return a;
            }
        }
        throw new IllegalArgumentException("--train-aug '" + text + "': expected rrc or resize-crop");
    }

    /** The training pipeline at resolution K; {@code jitter} is the ColorJitter strength (0 = none). */
    public Compose pipeline(int k, Normalization norm, double jitter) {
        return this == RRC ? Pipelines.trainDA(k, norm, jitter) : Pipelines.resizeRandomCrop(k, norm, jitter);
    }

    @Override
    public String toString() { return cliName; }
}
