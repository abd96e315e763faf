package io.fixres.model;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.fixres.transform.Interpolation;
import io.fixres.transform.ResizeMode;
import io.fixres.transform.TrainAugmentation;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The model card ({@code model.json}) that travels with the weights, in the spirit of timm's
 * pretrained config: what network it is, how its inputs must be prepared, how it was trained,
 * which test resolution to use and the FixRes fine-tunings applied. JSON keys are snake_case.
 */
public final class ModelCard {

    public static final int FORMAT_VERSION = 1;
    /** ImageNet normalisation (reference implementation, "Transforms"). */
    public static final double[] IMAGENET_MEAN = {0.485, 0.456, 0.406};
    public static final double[] IMAGENET_STD = {0.229, 0.224, 0.225};

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /** How a fine-tuning changed the weights. */
    public enum FineTuningMethod {
        /** The published recipe: SGD epochs with the last BatchNorm on batch statistics. */
        SGD("sgd"),
        /** One statistics pass, one feature pass, the classifier fitted on cached features. */
        CACHED("cached"),
        /** Label-free: BatchNorm running statistics re-estimated at K; the classifier untouched. */
        RECALIBRATE("recalibrate");

        private final String id;

        FineTuningMethod(String id) { this.id = id; }

        @JsonValue
        public String id() { return id; }

        @Override
        public String toString() { return id; }
    }

    /**
     * One FixRes fine-tuning applied to the weights (paper section 5; accuracies in percent at
     * testResolution). {@code method} null means sgd (cards written before it was recorded);
     * {@code layers} (last or all) and {@code images} (of the statistics pass) describe a
     * recalibration or a cached fine-tuning's statistics.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FineTuning(int testResolution, String bnMode, String dataAugmentation, int epochs, double lr,
                             Double accuracyBefore, Double accuracyAfter, FineTuningMethod method, String layers,
                             Long images) {

        /** A fine-tuning by the published SGD recipe. */
        public FineTuning(int testResolution, String bnMode, String dataAugmentation, int epochs, double lr,
                          Double accuracyBefore, Double accuracyAfter) {
            this(testResolution, bnMode, dataAugmentation, epochs, lr, accuracyBefore, accuracyAfter,
                    FineTuningMethod.SGD, null, null);
        }
    }

    /** Versions of the software that wrote the card. */
    public record Versions(String fixres, String djl, String pytorch) {

        /** This process's versions (loads the DJL engine). */
        public static Versions current() {
            String fixres = ModelCard.class.getPackage().getImplementationVersion();
            return new Versions(fixres == null ? "dev" : fixres, Engine.getDjlVersion(), Engine.getInstance().getVersion());
        }
    }

    private int formatVersion = FORMAT_VERSION;
    private String architecture;
    private int numClasses;
    private List<String> classNames;
    private int inputChannels;
    private double widthMultiplier = 1.0;
    private double[] mean;
    private double[] std;
    private int trainResolution;
    /** null: weights trained elsewhere (written "imported"), augmentation unknown. */
    private TrainAugmentation trainAugmentation;
    private double testCropRatio = 0.875;
    private ResizeMode resizeMode = ResizeMode.SHORTER_SIDE;
    private Interpolation interpolation = Interpolation.BILINEAR;
    private Integer recommendedTestResolution;
    private List<FineTuning> fineTunings = new ArrayList<>();
    private List<Map<String, Object>> adaptations = new ArrayList<>();
    private String dataset;
    private Long seed;
    private long parameterCount;
    private Versions versions;
    private String createdAt;

    /**
     * A card describing {@code net} (architecture, classes, channels, width, parameter count),
     * stamped with the current versions and time; the caller fills in data and training fields.
     */
    public static ModelCard forModel(ResNet net) {
        ModelCard card = new ModelCard();
        card.architecture = net.architecture();
        card.numClasses = net.numClasses();
        card.inputChannels = net.inputChannels();
        card.widthMultiplier = net.widthMultiplier();
        card.parameterCount = net.parameterCount();
        card.versions = Versions.current();
        card.createdAt = Instant.now().toString();
        return card;
    }

    /** A {@link ResNet} builder for the network this card describes. */
    public ResNet.Builder networkBuilder() {
        return ResNet.builder().architecture(architecture).numClasses(numClasses)
                .inputChannels(inputChannels).widthMultiplier(widthMultiplier);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("model card not serialisable", e);
        }
    }

    /** A deep copy (through JSON, so it is exactly what a saved card would read back as). */
    public ModelCard copy() {
        try {
            return fromJson(toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("model card does not round-trip through JSON", e);
        }
    }

    /** Parses a card; does not {@link #validate} it. */
    public static ModelCard fromJson(String json) throws JsonProcessingException {
        return JSON.readValue(json, ModelCard.class);
    }

    /** Reads and validates a card file. */
    public static ModelCard read(Path file) throws IOException {
        ModelCard card;
        try {
            card = fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not a valid model card: " + e.getOriginalMessage(), e);
        }
        card.validate(file.toString());
        return card;
    }

    /**
     * Checks every field against its allowed values.
     *
     * @param source names the card in messages (its file, usually)
     * @throws IllegalArgumentException naming the source, the field and what was expected
     */
    public void validate(String source) {
        require(formatVersion == FORMAT_VERSION, source, "format_version", formatVersion, "" + FORMAT_VERSION);
        require(architecture != null && Architecture.ids().contains(architecture), source, "architecture",
                architecture, "one of " + Architecture.ids());
        require(numClasses >= 1, source, "num_classes", numClasses, "at least 1");
        require(classNames == null || classNames.size() == numClasses, source, "class_names",
                classNames == null ? null : classNames.size() + " names", numClasses + " names (num_classes)");
        require(inputChannels >= 1, source, "input_channels", inputChannels, "at least 1");
        require(widthMultiplier > 0 && Double.isFinite(widthMultiplier), source, "width_multiplier", widthMultiplier,
                "a positive number");
        require(mean != null && mean.length == inputChannels, source, "mean", lengthOf(mean),
                inputChannels + " values (input_channels)");
        require(std != null && std.length == inputChannels && Arrays.stream(std).allMatch(s -> s > 0),
                source, "std", lengthOf(std), inputChannels + " positive values (input_channels)");
        require(trainResolution >= 1, source, "train_resolution", trainResolution, "a positive number of pixels");
        require(testCropRatio > 0 && testCropRatio <= 1, source, "test_crop_ratio", testCropRatio, "in (0, 1]");
        require(resizeMode != null, source, "resize_mode", null, "one of " + Arrays.toString(ResizeMode.values()));
        require(interpolation != null, source, "interpolation", null,
                "one of " + Arrays.toString(Interpolation.values()));
        require(recommendedTestResolution == null || recommendedTestResolution >= 1, source,
                "recommended_test_resolution", recommendedTestResolution, "null or a positive number of pixels");
        require(parameterCount >= 0, source, "parameter_count", parameterCount, "a non-negative count");
    }

    private static String lengthOf(double[] values) {
        return values == null ? null : values.length + " values";
    }

    private static void require(boolean ok, String source, String field, Object found, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(
                    source + ": " + field + " is " + found + ", expected " + expected);
        }
    }

    /**
     * Checks that this card describes {@code net}: architecture, classes, channels, width and,
     * when the card records one, the parameter count.
     *
     * @throws IllegalArgumentException naming the source and the first differing field
     */
    public void checkDescribes(ResNet net, String source) {
        require(Objects.equals(architecture, net.architecture()), source, "architecture", architecture,
                net.architecture() + " (the network's)");
        require(numClasses == net.numClasses(), source, "num_classes", numClasses, net.numClasses() + " (the network's)");
        require(inputChannels == net.inputChannels(), source, "input_channels", inputChannels,
                net.inputChannels() + " (the network's)");
        require(widthMultiplier == net.widthMultiplier(), source, "width_multiplier", widthMultiplier,
                net.widthMultiplier() + " (the network's)");
        require(parameterCount == 0 || parameterCount == net.parameterCount(), source, "parameter_count",
                parameterCount, net.parameterCount() + " (the network's)");
    }

    public int getFormatVersion() { return formatVersion; }
    public void setFormatVersion(int formatVersion) { this.formatVersion = formatVersion; }
    public String getArchitecture() { return architecture; }
    public void setArchitecture(String architecture) { this.architecture = architecture; }
    public int getNumClasses() { return numClasses; }
    public void setNumClasses(int numClasses) { this.numClasses = numClasses; }
    public List<String> getClassNames() { return classNames; }
    public void setClassNames(List<String> classNames) { this.classNames = classNames; }
    public int getInputChannels() { return inputChannels; }
    public void setInputChannels(int inputChannels) { this.inputChannels = inputChannels; }
    public double getWidthMultiplier() { return widthMultiplier; }
    public void setWidthMultiplier(double widthMultiplier) { this.widthMultiplier = widthMultiplier; }
    public double[] getMean() { return mean; }
    public void setMean(double[] mean) { this.mean = mean; }
    public double[] getStd() { return std; }
    public void setStd(double[] std) { this.std = std; }
    public int getTrainResolution() { return trainResolution; }
    public void setTrainResolution(int trainResolution) { this.trainResolution = trainResolution; }
    /** How the weights were trained; null for weights trained elsewhere (the card says "imported"). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonSerialize(nullsUsing = ImportedAugmentation.class)
    public TrainAugmentation getTrainAugmentation() { return trainAugmentation; }
    public void setTrainAugmentation(TrainAugmentation trainAugmentation) { this.trainAugmentation = trainAugmentation; }
    public double getTestCropRatio() { return testCropRatio; }
    public void setTestCropRatio(double testCropRatio) { this.testCropRatio = testCropRatio; }
    public ResizeMode getResizeMode() { return resizeMode; }
    public void setResizeMode(ResizeMode resizeMode) { this.resizeMode = resizeMode; }
    public Interpolation getInterpolation() { return interpolation; }
    public void setInterpolation(Interpolation interpolation) { this.interpolation = interpolation; }

    /** Writes an unknown training augmentation as "imported", the card format's word for it. */
    static final class ImportedAugmentation extends JsonSerializer<Object> {
        @Override
        public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(TrainAugmentation.IMPORTED);
        }
    }
    public Integer getRecommendedTestResolution() { return recommendedTestResolution; }
    public void setRecommendedTestResolution(Integer resolution) { this.recommendedTestResolution = resolution; }
    public List<FineTuning> getFineTunings() { return fineTunings; }
    public void setFineTunings(List<FineTuning> fineTunings) { this.fineTunings = fineTunings; }
    public List<Map<String, Object>> getAdaptations() { return adaptations; }
    public void setAdaptations(List<Map<String, Object>> adaptations) { this.adaptations = adaptations; }
    public String getDataset() { return dataset; }
    public void setDataset(String dataset) { this.dataset = dataset; }
    public Long getSeed() { return seed; }
    public void setSeed(Long seed) { this.seed = seed; }
    public long getParameterCount() { return parameterCount; }
    public void setParameterCount(long parameterCount) { this.parameterCount = parameterCount; }
    public Versions getVersions() { return versions; }
    public void setVersions(Versions versions) { this.versions = versions; }
    public String getCreatedAt() { return createdAt; }
    public void setCreatedAt(String createdAt) { this.createdAt = createdAt; }
}
