package io.fixres.eval;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Accuracy at one test resolution, in percent; the JSON shape of {@code fixres evaluate}. */
public record ResolutionAccuracy(
        @JsonProperty("test_res") int testResolution,
        @JsonProperty("top1") double top1,
        @JsonProperty("top5") double top5,
        @JsonProperty("images") long images) {

    public static ResolutionAccuracy of(int testResolution, Accuracy accuracy) {
        return new ResolutionAccuracy(testResolution, accuracy.top1(), accuracy.top5(), accuracy.images());
    }
}
