package io.fixres.study;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.data.DataSplits;
import io.fixres.io.Json;
import io.fixres.model.ModelCard;
import io.fixres.train.FixResMethod;
import io.fixres.train.LastBatchNormFineTuner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Everything one measured cell of a study depends on: the images, the model (its directory name
 * and the card's creation stamp, so a retrained model is a new key and a moved report directory
 * is not), the test resolution, and the fine-tuning recipe with the images it saw (none for the
 * accuracy without fine-tuning). The cache files a cell under {@link #hash()}, independent of any
 * display text.
 *
 * <p>The key also names the {@link #FORMAT} of the cached result: cells cached before results
 * recorded their per-image top-1 outcomes (format 1) hash differently, so they are measured again
 * rather than leaving a paired comparison without outcomes.
 */
public record CellKey(
        @JsonProperty("study") String study,
        @JsonProperty("data") String data,
        @JsonProperty("model") String model,
        @JsonProperty("model_created_at") String modelCreatedAt,
        @JsonProperty("test_res") int testResolution,
        @JsonProperty("method") FixResMethod method,
        @JsonProperty("fine_tuning") LastBatchNormFineTuner.Request fineTuning,
        @JsonProperty("fine_tune_data") String fineTuneData) {

    /** Format of the cached result; 2: with per-image top-1 outcomes ({@code top1_outcomes}). */
    public static final int FORMAT = 2;

    /** Part of the key (and so of the hash); read back only for people. */
    @JsonProperty(value = "format", access = JsonProperty.Access.READ_ONLY)
    public int format() {
        return FORMAT;
    }

    /** The cell of {@code model}'s accuracy at K without fine-tuning. */
    public static CellKey noFineTuning(String study, DataSplits data, Path model, ModelCard card, int testResolution) {
        return new CellKey(study, describe(data), model.getFileName().toString(), card.getCreatedAt(), testResolution,
                null, null, null);
    }

    /** The same cell after {@code method} with {@code fineTuning}'s settings on {@code fineTuneData}. */
    public CellKey fineTuned(FixResMethod method, LastBatchNormFineTuner.Request fineTuning, DataSplits fineTuneData) {
        return new CellKey(study, data, model, modelCreatedAt, testResolution, method, fineTuning,
                describe(fineTuneData));
    }

    /** SHA-256 of the key's JSON, in hex. */
    public String hash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.mapper().writeValueAsString(this).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot hash a cell key", e);
        }
    }

    /** The images a measurement used: the data set's name and each split's source and size. */
    static String describe(DataSplits data) {
        return data.name() + " train=" + data.train().source() + " (" + data.train().size() + ") test="
                + data.test().source() + " (" + data.test().size() + ")";
    }
}
