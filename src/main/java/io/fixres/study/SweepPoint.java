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

    static SweepPoint of(ResolutionAccuracy accuracy, int featureMap) {
        return new SweepPoint(accuracy.testResolution(), featureMap, accuracy.top1(), accuracy.top5(), accuracy.images());
    }
}
