package io.fixres.study;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One model's resolution sweep (supplement B, Figure 7): accuracy at every test resolution and
 * the border-effect analysis; the JSON shape of {@code fixres sweep}.
 *
 * @param label legend text, from the model card (e.g. "rrc 24px")
 * @param architecture the card's architecture id
 * @param trainResolution the card's training resolution
 * @param cropRatio the test centre-crop ratio used
 */
public record SweepResult(
        @JsonProperty("label") String label,
        @JsonProperty("architecture") String architecture,
        @JsonProperty("train_res") int trainResolution,
        @JsonProperty("crop_ratio") double cropRatio,
        @JsonProperty("points") List<SweepPoint> points,
        @JsonProperty("border_effects") BorderEffects borderEffects) {

    public SweepResult {
        points = List.copyOf(points);
    }

    /** A copy with another legend label (to tell apart models whose cards read the same). */
    public SweepResult withLabel(String newLabel) {
        return new SweepResult(newLabel, architecture, trainResolution, cropRatio, points, borderEffects);
    }
}
