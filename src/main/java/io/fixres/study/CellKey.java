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
 * Everything one measured cell depends on, and nothing else: the test images (and, after a
 * fine-tuning, the images it trained on), the model (its directory name and the card's creation
 * stamp, so a retrained model is a new key and a moved report directory is not), the test
 * resolution, and the fine-tuning recipe. Not the study that asks: the ablation's untouched row and
 * its classifier + BN / test DA row are the grid's cells of the same model, measured once. The
 * cache files a cell under {@link #hash()}, independent of any display text.
 *
 * <p>The key also names the {@link #FORMAT} of the cached result, so cells cached under an older
 * key layout (format 2 named the study and the training split) are measured again rather than
 * read under a key they were not measured for.
 */
public record CellKey(
        @JsonProperty("data") String data,
        @JsonProperty("model") String model,
        @JsonProperty("model_created_at") String modelCreatedAt,
        @JsonProperty("test_res") int testResolution,
        @JsonProperty("method") FixResMethod method,
        @JsonProperty("fine_tuning") LastBatchNormFineTuner.Request fineTuning,
        @JsonProperty("fine_tune_data") String fineTuneData) {

    /**
     * Format of the key and its cached result; 2: with per-image top-1 outcomes ({@code top1_outcomes});
     * 3: no study name, the untouched accuracy keyed by the test split alone.
     */
    public static final int FORMAT = 3;

    /** Part of the key (and so of the hash); read back only for people. */
    @JsonProperty(value = "format", access = JsonProperty.Access.READ_ONLY)
    public int format() {
        return FORMAT;
    }

    /** The cell of {@code model}'s accuracy at K without fine-tuning: it depends on {@code data}'s test split only. */
    public static CellKey noFineTuning(DataSplits data, Path model, ModelCard card, int testResolution) {
        return new CellKey(describeTest(data), model.getFileName().toString(), card.getCreatedAt(), testResolution,
                null, null, null);
    }

    /** The same cell after {@code method} with {@code fineTuning}'s settings on {@code fineTuneData}. */
    public CellKey fineTuned(FixResMethod method, LastBatchNormFineTuner.Request fineTuning, DataSplits fineTuneData) {
        return new CellKey(data, model, modelCreatedAt, testResolution, method, fineTuning,
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

    /** The images a fine-tuning used: the data set's name and each split's source and size. */
    static String describe(DataSplits data) {
        return data.name() + " train=" + data.train().source() + " (" + data.train().size() + ") test="
                + data.test().source() + " (" + data.test().size() + ")";
    }

    /** The images an accuracy is measured on: the data set's name and the test split's source and size. */
    static String describeTest(DataSplits data) {
        return data.name() + " test=" + data.test().source() + " (" + data.test().size() + ")";
    }
}
