package io.fixres.transform;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The training augmentations fixres trains with ({@code --train-aug rrc|resize-crop}). */
public enum TrainAugmentation {
    /** RandomResizedCrop, the paper's train DA. */
    RRC("rrc"),
    /** Resize + fixed-size random crop, supplement section D. */
    RESIZE_CROP("resize-crop");

    /** How a model card records weights trained elsewhere (augmentation unknown). */
    public static final String IMPORTED = "imported";

    private final String id;

    TrainAugmentation(String id) { this.id = id; }

    /** The name in JSON, in file names and on the command line. */
    @JsonValue
    public String id() { return id; }

    /**
     * By id; {@code null} for {@value #IMPORTED} (weights trained elsewhere), as model cards
     * written before the card was typed store it.
     */
    @JsonCreator
    public static TrainAugmentation fromId(String id) {
        if (id == null || id.equals(IMPORTED)) {
            return null;
        }
        for (TrainAugmentation a : values()) {
            if (a.id.equals(id)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown training augmentation '" + id + "': expected rrc or resize-crop");
    }

    /** The training pipeline at resolution K; {@code jitter} is the ColorJitter strength (0 = none). */
    public Compose pipeline(int k, Normalization norm, double jitter) {
        return this == RRC ? Pipelines.trainDA(k, norm, jitter) : Pipelines.resizeRandomCrop(k, norm, jitter);
    }

    @Override
    public String toString() { return id; }
}
