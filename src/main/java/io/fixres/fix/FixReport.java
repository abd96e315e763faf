package io.fixres.fix;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.stats.Interval;
import io.fixres.stats.Verdict;
import java.util.List;

/**
 * What {@code fixres fix} did and found ({@code fix.json}): the prediction, every probed resolution
 * with its accuracy before the fix and its latency, the chosen resolution and why, accuracy before
 * and after at the training and the chosen resolution on the held-out images, and the paired
 * bootstrap intervals of the gains. Accuracies in percent, latencies in milliseconds per image.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FixReport(
        @JsonProperty("model") String model,
        @JsonProperty("out") String out,
        @JsonProperty("architecture") String architecture,
        @JsonProperty("train_res") int trainResolution,
        @JsonProperty("stride") int stride,
        @JsonProperty("prediction") Prediction prediction,
        @JsonProperty("fine_tuning_images") FixImages fineTuningImages,
        @JsonProperty("held_out_images") FixImages heldOutImages,
        @JsonProperty("held_out_decodes") Long heldOutDecodes,
        @JsonProperty("label_free") boolean labelFree,
        @JsonProperty("method") String method,
        @JsonProperty("probe_limit") int probeLimit,
        @JsonProperty("budget_ms") Double budgetMillis,
        @JsonProperty("probes") List<Probe> probes,
        @JsonProperty("chosen_res") int chosenResolution,
        @JsonProperty("chosen_by") ChosenBy chosenBy,
        @JsonProperty("before_at_train_res") ResolutionAccuracy beforeAtTrainRes,
        @JsonProperty("before_at_chosen_res") ResolutionAccuracy beforeAtChosen,
        @JsonProperty("after_at_train_res") ResolutionAccuracy afterAtTrainRes,
        @JsonProperty("after_at_chosen_res") ResolutionAccuracy afterAtChosen,
        @JsonProperty("gain_of_fix_at_chosen_res") Gain gainAtChosen,
        @JsonProperty("gain_over_train_res") Gain gainOverTrainRes,
        @JsonProperty("latency") List<InferenceLatency> latency,
        @JsonProperty("decision") String decision,
        @JsonProperty("export") String export,
        @JsonProperty("seconds") double seconds) {

    /** This report with its decision text. */
    public FixReport withDecision(String text) {
        return new FixReport(model, out, architecture, trainResolution, stride, prediction, fineTuningImages,
                heldOutImages, heldOutDecodes, labelFree, method, probeLimit, budgetMillis, probes, chosenResolution,
                chosenBy, beforeAtTrainRes, beforeAtChosen, afterAtTrainRes, afterAtChosen, gainAtChosen,
                gainOverTrainRes, latency, text, export, seconds);
    }

    /**
     * The apparent-size prediction (paper section 3; supplement D for resize + random crop training).
     *
     * @param equalisingTestRes where objects look as large as in training, in pixels
     * @param alignedTestRes its nearest multiple of the stride, inside the allowed range (K*)
     * @param basis which analysis gave it
     */
    public record Prediction(
            @JsonProperty("equalising_test_res") double equalisingTestRes,
            @JsonProperty("aligned_test_res") int alignedTestRes,
            @JsonProperty("basis") String basis) {}

    /** Where a set of images came from and how many were used. */
    public record FixImages(@JsonProperty("source") String source, @JsonProperty("images") long images,
                            @JsonProperty("labelled") boolean labelled) {}

    /** One probed resolution: accuracy before the fix (round 1 is the first pass) and latency. */
    public record Probe(
            @JsonProperty("test_res") int resolution,
            @JsonProperty("round") int round,
            @JsonProperty("top1") double top1,
            @JsonProperty("top5") double top5,
            @JsonProperty("images") long images,
            @JsonProperty("batch1_ms") double batch1Millis,
            @JsonProperty("batch_ms_per_image") double perImageInBatchMillis,
            @JsonProperty("within_budget") Boolean withinBudget) {}

    /** How the resolution was chosen. */
    public enum ChosenBy {
        /** The most accurate probed resolution (within the latency budget, if any). */
        MEASURED("measured"),
        /** No labelled images: the apparent-size prediction alone. */
        PREDICTION("prediction");

        private final String id;

        ChosenBy(String id) { this.id = id; }

        @JsonValue
        public String id() { return id; }

        @Override
        public String toString() { return id; }
    }

    /** A paired difference of top-1 on the same held-out images, with its 95% bootstrap interval. */
    public record Gain(@JsonProperty("points") Interval points, @JsonProperty("verdict") GainVerdict verdict) {
        static Gain of(Interval points) {
            return new Gain(points, GainVerdict.of(points));
        }

        /** "+1.38 [+0.92, +1.84] points, better". */
        public String describe() {
            return points.formatSigned(2) + " points, " + verdict;
        }
    }

    /** What the interval of a gain says: its sign when the whole 95% interval lies on one side of 0. */
    public enum GainVerdict {
        BETTER("better"),
        WORSE("worse"),
        NO_SIGNIFICANT_DIFFERENCE("no significant difference");

        private final String text;

        GainVerdict(String text) { this.text = text; }

        static GainVerdict of(Interval gain) {
            return switch (Verdict.ofPositiveDifference(gain.low(), gain.high())) {
                case REPRODUCED -> BETTER;
                case NOT_REPRODUCED -> WORSE;
                case INCONCLUSIVE -> NO_SIGNIFICANT_DIFFERENCE;
            };
        }

        @JsonValue
        public String text() { return text; }

        @Override
        public String toString() { return text; }
    }
}
