package io.fixres.study;

import io.fixres.eval.Accuracy;
import io.fixres.eval.ResolutionAccuracy;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Accuracy (percent) at one test resolution of a sweep, with the side of the final feature map there. */
public record SweepPoint(
        @JsonProperty("test_res") int testResolution,
        @JsonProperty("feature_map") int featureMap,
        @JsonProperty("top1") double top1,
        @JsonProperty("top5") double top5,
        @JsonProperty("images") long images) {

    /** Wilson 95% interval of top-1 (derived, like {@link ResolutionAccuracy#top1Low()}). */
    @JsonProperty(value = "top1_low", access = JsonProperty.Access.READ_ONLY)
    public double top1Low() {
        return accuracy().top1Low();
    }

    @JsonProperty(value = "top1_high", access = JsonProperty.Access.READ_ONLY)
    public double top1High() {
        return accuracy().top1High();
    }

    /** This point as an accuracy (without outcomes: a sweep keeps only the counts). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public ResolutionAccuracy accuracy() {
        return new ResolutionAccuracy(testResolution, top1, top5, images);
    }

    static SweepPoint of(ResolutionAccuracy accuracy, int featureMap) {
        return new SweepPoint(accuracy.testResolution(), featureMap, accuracy.top1(), accuracy.top5(), accuracy.images());
    }
}
