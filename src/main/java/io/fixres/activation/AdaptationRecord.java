package io.fixres.activation;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import io.fixres.core.ActivationHook;
import io.fixres.io.Json;
import io.fixres.model.ModelCard;
import io.fixres.stats.AffineFrechetAdaptation;
import io.fixres.stats.ChannelMoments;
import io.fixres.stats.FrechetFitResult;
import io.fixres.stats.GaussianChannelAdaptation;
import java.util.Arrays;
import java.util.Map;

/**
 * One distribution adaptation as the model card's {@code adaptations} list records it, enough to
 * re-install it ({@link #hook()}): the method, the resolutions it maps between (statistics at
 * {@code testResolution} mapped onto those at {@code referenceResolution}, the train one) and the
 * affine parameters, one scale/shift for {@code frechet} (pooled features, zeros kept) or one per
 * channel for {@code gaussian} (before the last ReLU).
 *
 * @param statisticsImages training images the statistics were measured on
 * @param frechet          the two Fréchet fits behind a {@code frechet} map ({@code null} otherwise)
 * @param accuracyBefore   top-1 (%) at {@code testResolution} without the adaptation, if measured
 * @param accuracyAfter    top-1 (%) at {@code testResolution} with it, if measured
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AdaptationRecord(
        @JsonProperty("method") AdaptationMethod method,
        @JsonProperty("reference_resolution") int referenceResolution,
        @JsonProperty("test_resolution") int testResolution,
        @JsonProperty("scale") double[] scale,
        @JsonProperty("shift") double[] shift,
        @JsonProperty("statistics_images") long statisticsImages,
        @JsonProperty("frechet") FrechetParameters frechet,
        @JsonProperty("accuracy_before") Double accuracyBefore,
        @JsonProperty("accuracy_after") Double accuracyAfter) {

    /** The fits {@code (mu_ref, sigma_ref)} at the reference and {@code (mu_0, sigma_0)} at the test resolution. */
    public record FrechetParameters(
            @JsonProperty("xi") double xi,
            @JsonProperty("mu_ref") double muRef,
            @JsonProperty("sigma_ref") double sigmaRef,
            @JsonProperty("mu_0") double mu0,
            @JsonProperty("sigma_0") double sigma0,
            @JsonProperty("truncated_at_zero") boolean truncatedAtZero) {}

    public AdaptationRecord {
        AdaptationMethod kind = java.util.Objects.requireNonNull(method, "method");
        if (referenceResolution < 1 || testResolution < 1) {
            throw new IllegalArgumentException("adaptation resolutions must be positive, got reference "
                    + referenceResolution + " and test " + testResolution);
        }
        if (scale == null || shift == null || scale.length != shift.length || scale.length == 0) {
            throw new IllegalArgumentException("adaptation needs as many shifts as scales (at least one), got "
                    + (scale == null ? null : scale.length) + " and " + (shift == null ? null : shift.length));
        }
        if (kind == AdaptationMethod.FRECHET && scale.length != 1) {
            throw new IllegalArgumentException("a frechet adaptation has one scale and one shift, got " + scale.length);
        }
        if (!Arrays.stream(scale).allMatch(Double::isFinite) || !Arrays.stream(shift).allMatch(Double::isFinite)) {
            throw new IllegalArgumentException("adaptation scales and shifts must be finite");
        }
    }

    /** A.1 between the Fréchet fit at the reference (train) resolution and the one at the test resolution. */
    public static AdaptationRecord frechet(int referenceResolution, int testResolution, FrechetFitResult reference,
                                           FrechetFitResult measured, long statisticsImages) {
        AffineFrechetAdaptation map = AffineFrechetAdaptation.between(reference, measured);
        return new AdaptationRecord(AdaptationMethod.FRECHET, referenceResolution, testResolution,
                new double[] {map.scale()}, new double[] {map.shift()}, statisticsImages,
                new FrechetParameters(reference.xi(), reference.mu(), reference.sigma(), measured.mu(), measured.sigma(),
                        reference.truncatedAtZero()),
                null, null);
    }

    /** A.2 between the per-channel pre-ReLU moments at the reference and at the test resolution. */
    public static AdaptationRecord gaussian(int referenceResolution, int testResolution, ChannelMoments reference,
                                            ChannelMoments measured, long statisticsImages) {
        GaussianChannelAdaptation map = GaussianChannelAdaptation.between(reference, measured);
        return new AdaptationRecord(AdaptationMethod.GAUSSIAN, referenceResolution, testResolution,
                toDoubles(map.scale()), toDoubles(map.shift()), statisticsImages, null, null, null);
    }

    /** The hook applying this map in a network's forward. */
    public ActivationHook hook() {
        return switch (method) {
            case FRECHET -> AdaptationHooks.pooledAffine((float) scale[0], (float) shift[0]);
            case GAUSSIAN -> AdaptationHooks.channelAffine(toFloats(scale), toFloats(shift));
        };
    }

    public AdaptationRecord withAccuracies(Double before, Double after) {
        return new AdaptationRecord(method, referenceResolution, testResolution, scale, shift, statisticsImages,
                frechet, before, after);
    }

    /** The entry for {@code ModelCard.getAdaptations()}. */
    public Map<String, Object> toCardEntry() {
        return Json.mapper().convertValue(this, new TypeReference<Map<String, Object>>() {});
    }

    /** A copy of {@code card} with this adaptation appended to its {@code adaptations} (what an adapted checkpoint carries). */
    public ModelCard appliedTo(ModelCard card) {
        ModelCard adapted = card.copy();
        java.util.List<Map<String, Object>> entries = new java.util.ArrayList<>(adapted.getAdaptations());
        entries.add(toCardEntry());
        adapted.setAdaptations(entries);
        return adapted;
    }

    /**
     * Reads a card entry back.
     *
     * @param source names the entry in messages (e.g. "model.json adaptations[0]")
     */
    public static AdaptationRecord fromCardEntry(Map<String, Object> entry, String source) {
        try {
            return Json.mapper().convertValue(entry, AdaptationRecord.class);
        } catch (IllegalArgumentException e) {
            Throwable cause = e.getCause() != null && e.getCause().getCause() != null ? e.getCause().getCause() : e;
            throw new IllegalArgumentException(source + " is not a valid adaptation (expected method, "
                    + "reference_resolution, test_resolution, scale, shift): " + cause.getMessage(), e);
        }
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
