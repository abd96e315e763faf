package io.fixres.eval;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fixres.stats.BinomialInterval;
import io.fixres.stats.Interval;

/**
 * Accuracy at one test resolution, in percent; the JSON shape of {@code fixres evaluate} and of every
 * cached cell. Besides {@code test_res, top1, top5, images} the JSON carries the Wilson 95% interval
 * of top-1 ({@code top1_low}, {@code top1_high}; derived, ignored when read) and, when they were
 * recorded, which images were right at top-1 ({@code top1_outcomes}, {@link Top1Outcomes#encoded()}),
 * so two cached accuracies of the same images can still be compared pairwise. Results written before
 * outcomes were recorded load with {@code outcomes() == null}.
 */
@JsonPropertyOrder({"test_res", "top1", "top5", "images", "top1_low", "top1_high", "top1_outcomes"})
public record ResolutionAccuracy(
        @JsonProperty("test_res") int testResolution,
        @JsonProperty("top1") double top1,
        @JsonProperty("top5") double top5,
        @JsonProperty("images") long images,
        @JsonIgnore Top1Outcomes outcomes) {

    public ResolutionAccuracy {
        if (outcomes != null && outcomes.images() != images) {
            throw new IllegalArgumentException("top-1 outcomes of " + outcomes.images() + " images for an accuracy over "
                    + images + " images");
        }
    }

    /** An accuracy without per-image outcomes. */
    public ResolutionAccuracy(int testResolution, double top1, double top5, long images) {
        this(testResolution, top1, top5, images, null);
    }

    public static ResolutionAccuracy of(int testResolution, Accuracy accuracy) {
        return new ResolutionAccuracy(testResolution, accuracy.top1(), accuracy.top5(), accuracy.images(),
                accuracy.outcomes());
    }

    @JsonCreator
    static ResolutionAccuracy fromJson(@JsonProperty("test_res") int testResolution, @JsonProperty("top1") double top1,
                                       @JsonProperty("top5") double top5, @JsonProperty("images") long images,
                                       @JsonProperty("top1_outcomes") String outcomes) {
        return new ResolutionAccuracy(testResolution, top1, top5, images,
                outcomes == null ? null : Top1Outcomes.decode(outcomes, Math.toIntExact(images)));
    }

    /** Images right at top-1: counted from the outcomes when recorded, else from the percentage. */
    @JsonIgnore
    public long top1Hits() {
        return outcomes != null ? outcomes.hits() : Math.round(top1 * images / 100.0);
    }

    /** Top-1 with its Wilson 95% interval (the images taken as a sample of the test distribution). */
    @JsonIgnore
    public Interval top1Interval() {
        return BinomialInterval.wilson(top1Hits(), images);
    }

    @JsonProperty(value = "top1_low", access = JsonProperty.Access.READ_ONLY)
    public double top1Low() {
        return top1Interval().low();
    }

    @JsonProperty(value = "top1_high", access = JsonProperty.Access.READ_ONLY)
    public double top1High() {
        return top1Interval().high();
    }

    @JsonProperty("top1_outcomes")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    String encodedOutcomes() {
        return outcomes == null ? null : outcomes.encoded();
    }

    /** The same accuracy without its outcomes (for display records that need not carry them). */
    public ResolutionAccuracy withoutOutcomes() {
        return outcomes == null ? this : new ResolutionAccuracy(testResolution, top1, top5, images);
    }
}
