package io.fixres.reproduce;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fixres.io.InvalidParameterException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How big a reproduction run is: which models to train, with which seeds, on how many images, and
 * which resolutions to measure. Built from a named profile ({@link #profile(String)}) or with
 * {@link #builder()}, whose starting values are the {@code default} profile's:
 *
 * <pre>{@code
 * StudyPlan plan = StudyPlan.builder().profile("mine").epochs(2).seeds(List.of(0L, 1L)).build();
 * StudyPlan quick = StudyPlan.profile("quick").toBuilder().limitTest(2000).build();
 * }</pre>
 *
 * <p>The profiles are sized for a 2-core CPU (quick about 1 minute, default under 30: docs/performance.md); {@code full}
 * is for bigger machines and real ImageFolder data. The JSON form (in {@code summary.json} and
 * {@code runs/plan.json}) names every setting.
 */
@JsonPropertyOrder({"profile", "architecture", "width", "main_train_res", "grid_train_res", "grid_test_res",
        "seeds", "seed_test_res", "limit_train", "limit_test", "epochs", "batch_size", "learning_rate", "fine_tune_epochs",
        "fine_tune_limit_train", "sweep_from", "sweep_to", "sweep_limit_test", "stats_limit_images",
        "timing_repeats", "timing_batch_size", "recalibrate_all_bn"})
public final class StudyPlan {
    /** The profiles {@link #profile(String)} knows, in the order the CLI lists them. */
    public static final List<String> PROFILES = List.of("quick", "default", "full");

    private final String profile;
    private final String architecture;
    private final double width;
    private final int mainTrainResolution;
    private final List<Integer> gridTrainResolutions;
    private final List<Integer> gridTestResolutions;
    private final List<Long> seeds;
    private final List<Integer> seedTestResolutions;
    private final int limitTrain;
    private final int limitTest;
    private final int epochs;
    private final int batchSize;
    private final float learningRate;
    private final int fineTuneEpochs;
    private final int fineTuneLimitTrain;
    private final int sweepFrom;
    private final int sweepTo;
    private final int sweepLimitTest;
    private final int statsLimitImages;
    private final int timingRepeats;
    private final int timingBatchSize;
    private final boolean recalibrateAllBatchNorms;

    private StudyPlan(Builder b) {
        this.profile = Objects.requireNonNull(b.profile, "profile");
        this.architecture = Objects.requireNonNull(b.architecture, "architecture");
        this.width = b.width;
        this.mainTrainResolution = b.mainTrainResolution;
        this.gridTrainResolutions = List.copyOf(b.gridTrainResolutions);
        this.gridTestResolutions = List.copyOf(b.gridTestResolutions);
        this.seeds = List.copyOf(b.seeds);
        // those of the grid's test resolutions the builder names, in the grid's order
        this.seedTestResolutions = b.seedTestResolutions == null ? gridTestResolutions
                : gridTestResolutions.stream().filter(b.seedTestResolutions::contains).toList();
        this.limitTrain = b.limitTrain;
        this.limitTest = b.limitTest;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.learningRate = b.learningRate;
        this.fineTuneEpochs = b.fineTuneEpochs;
        this.fineTuneLimitTrain = b.fineTuneLimitTrain;
        this.sweepFrom = b.sweepFrom;
        this.sweepTo = b.sweepTo;
        this.sweepLimitTest = b.sweepLimitTest;
        this.statsLimitImages = b.statsLimitImages;
        this.timingRepeats = b.timingRepeats;
        this.timingBatchSize = b.timingBatchSize;
        this.recalibrateAllBatchNorms = b.recalibrateAllBatchNorms;
        if (!gridTrainResolutions.contains(mainTrainResolution)) {
            throw new InvalidParameterException("grid train resolutions", "must include the main train resolution "
                    + mainTrainResolution, gridTrainResolutions);
        }
        InvalidParameterException.require(!gridTestResolutions.isEmpty(), "grid test resolutions", "must not be empty",
                gridTestResolutions);
        InvalidParameterException.require(sweepTo >= sweepFrom, "sweep range", "must not be empty",
                sweepFrom + ".." + sweepTo);
        InvalidParameterException.require(seedTestResolutions.contains(mainTrainResolution), "seed test resolutions",
                "must include the main train resolution " + mainTrainResolution + " among the grid's "
                        + gridTestResolutions, b.seedTestResolutions);
        InvalidParameterException.require(!seeds.isEmpty(), "seeds", "must name at least one training seed", seeds);
        InvalidParameterException.require(seeds.stream().distinct().count() == seeds.size(), "seeds",
                "must be distinct", seeds);
        for (int v : new int[] {limitTrain, limitTest, epochs, batchSize, fineTuneEpochs, fineTuneLimitTrain,
                sweepLimitTest, statsLimitImages, timingRepeats, timingBatchSize}) {
            InvalidParameterException.require(v >= 1, "study plan sizes", "must be >= 1", v);
        }
    }

    /** A builder starting from the {@code default} profile's values. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this plan's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.profile = profile;
        b.architecture = architecture;
        b.width = width;
        b.mainTrainResolution = mainTrainResolution;
        b.gridTrainResolutions = gridTrainResolutions;
        b.gridTestResolutions = gridTestResolutions;
        b.seeds = seeds;
        b.seedTestResolutions = seedTestResolutions;
        b.limitTrain = limitTrain;
        b.limitTest = limitTest;
        b.epochs = epochs;
        b.batchSize = batchSize;
        b.learningRate = learningRate;
        b.fineTuneEpochs = fineTuneEpochs;
        b.fineTuneLimitTrain = fineTuneLimitTrain;
        b.sweepFrom = sweepFrom;
        b.sweepTo = sweepTo;
        b.sweepLimitTest = sweepLimitTest;
        b.statsLimitImages = statsLimitImages;
        b.timingRepeats = timingRepeats;
        b.timingBatchSize = timingBatchSize;
        b.recalibrateAllBatchNorms = recalibrateAllBatchNorms;
        return b;
    }

    /**
     * A named profile: {@code quick} (every artefact, small subsets, one seed), {@code default}
     * (the README's study, 3 seeds; {@code standard} is accepted too) or {@code full}.
     */
    public static StudyPlan profile(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "quick" -> builder().profile("quick").width(0.5).gridTestResolutions(List.of(16, 20, 24, 28, 32))
                    .seeds(List.of(0L)).limitTrain(5000).limitTest(1000).epochs(3).fineTuneLimitTrain(2560)
                    .sweepTo(40).sweepLimitTest(500).statsLimitImages(1000).timingRepeats(3).timingBatchSize(32)
                    .build();
            case "default", "standard" -> builder().build();
            case "full" -> builder().profile("full").gridTrainResolutions(List.of(16, 20, 24, 28, 32)).seedTestResolutions(null)
                    .gridTestResolutions(List.of(16, 20, 24, 28, 32, 36, 40, 48, 56, 64))
                    .limitTrain(Integer.MAX_VALUE).limitTest(Integer.MAX_VALUE).epochs(10).fineTuneEpochs(3)
                    .fineTuneLimitTrain(20000).sweepFrom(12).sweepTo(80).sweepLimitTest(Integer.MAX_VALUE)
                    .statsLimitImages(20000).timingRepeats(20).recalibrateAllBatchNorms(true).build();
            default -> throw new InvalidParameterException("profile", "must be one of " + String.join(", ", PROFILES),
                    name);
        };
    }

    /** Profile name recorded in the report. */
    @JsonProperty("profile") public String profile() { return profile; }
    /** Network of every model of the study. */
    @JsonProperty("architecture") public String architecture() { return architecture; }
    /** Width multiplier of that network. */
    @JsonProperty("width") public double width() { return width; }
    /** K_train of the model the single-model artefacts use (Tables 4, 6, 8, Figs 6-8). */
    @JsonProperty("main_train_res") public int mainTrainResolution() { return mainTrainResolution; }
    /** Columns of Tables 5 and 9. */
    @JsonProperty("grid_train_res") public List<Integer> gridTrainResolutions() { return gridTrainResolutions; }
    /** Rows of Tables 5 and 9; those at or above the main train resolution are the columns of Tables 4 and 6. */
    @JsonProperty("grid_test_res") public List<Integer> gridTestResolutions() { return gridTestResolutions; }
    /**
     * Training seeds: the main comparisons (Table 5's FixRes effect and fine-tuning gain, Table 9's
     * peak) train one model per seed; every other artefact uses the first seed's model.
     */
    @JsonProperty("seeds") public List<Long> seeds() { return seeds; }
    /** Training images per model (seeded subset). */
    @JsonProperty("limit_train") public int limitTrain() { return limitTrain; }
    /** Test images per evaluation (seeded subset). */
    @JsonProperty("limit_test") public int limitTest() { return limitTest; }
    /** Training epochs per model. */
    @JsonProperty("epochs") public int epochs() { return epochs; }
    @JsonProperty("batch_size") public int batchSize() { return batchSize; }
    @JsonProperty("learning_rate") public float learningRate() { return learningRate; }
    /** Epochs of each FixRes fine-tuning. */
    @JsonProperty("fine_tune_epochs") public int fineTuneEpochs() { return fineTuneEpochs; }
    /** Training images each fine-tuning sees. */
    @JsonProperty("fine_tune_limit_train") public int fineTuneLimitTrain() { return fineTuneLimitTrain; }
    /** First resolution of the 1-pixel sweep (Figures 7, 8). */
    @JsonProperty("sweep_from") public int sweepFrom() { return sweepFrom; }
    /** Last resolution of the sweep. */
    @JsonProperty("sweep_to") public int sweepTo() { return sweepTo; }
    /** Test images per sweep point. */
    @JsonProperty("sweep_limit_test") public int sweepLimitTest() { return sweepLimitTest; }
    /** Images whose activations the Fréchet/Gaussian statistics use. */
    @JsonProperty("stats_limit_images") public int statsLimitImages() { return statsLimitImages; }
    /** Timed repetitions per Table 7 cell. */
    @JsonProperty("timing_repeats") public int timingRepeats() { return timingRepeats; }
    /** Batch size of the timing. */
    @JsonProperty("timing_batch_size") public int timingBatchSize() { return timingBatchSize; }
    /**
     * Whether Tables 4 and 6 carry fixres's row that re-estimates every BatchNorm's statistics at K
     * (not a row of the paper's; its own pass over the images at every K: about 90 s of the default
     * run on 2 cores, so only {@code full} has it; the last-BN recalibration stays in every profile).
     */
    @JsonProperty("recalibrate_all_bn") public boolean recalibrateAllBatchNorms() { return recalibrateAllBatchNorms; }

    /**
     * The test resolutions at which the further seeds' models are measured (the first seed's grid
     * has them all): the ones the seed-robust findings compare, the train resolution and its
     * neighbours, where each best lies. Far resolutions cost the most (K^2) and decide nothing.
     */
    @JsonProperty("seed_test_res") public List<Integer> seedTestResolutions() { return seedTestResolutions; }

    /** The first training seed: the one every single-model artefact uses. */
    public long firstSeed() { return seeds.get(0); }

    @Override
    public boolean equals(Object o) {
        return o instanceof StudyPlan p && io.fixres.io.Json.toString(this).equals(io.fixres.io.Json.toString(p));
    }

    @Override
    public int hashCode() {
        return io.fixres.io.Json.toString(this).hashCode();
    }

    @Override
    public String toString() {
        return io.fixres.io.Json.toString(this).strip();
    }

    /** Named settings; starts at the {@code default} profile (the README's study). */
    public static final class Builder {
        private String profile = "default";
        private String architecture = "resnet-small";
        private double width = 1.0;
        private int mainTrainResolution = 24;
        private List<Integer> gridTrainResolutions = List.of(16, 24);
        private List<Integer> gridTestResolutions = List.of(16, 20, 24, 28, 32, 40, 48);
        private List<Long> seeds = List.of(0L, 1L, 2L);
        private List<Integer> seedTestResolutions = List.of(20, 24, 28, 32);
        private int limitTrain = 20000;
        private int limitTest = 10000;
        private int epochs = 4;
        private int batchSize = 128;
        private float learningRate = 0.1f;
        private int fineTuneEpochs = 1;
        private int fineTuneLimitTrain = 5120;
        private int sweepFrom = 16;
        private int sweepTo = 56;
        private int sweepLimitTest = 1000;
        private int statsLimitImages = 5000;
        private int timingRepeats = 10;
        private int timingBatchSize = 64;
        private boolean recalibrateAllBatchNorms = false;

        private Builder() {}

        public Builder profile(String v) { profile = v; return this; }
        public Builder architecture(String v) { architecture = v; return this; }
        public Builder width(double v) { width = v; return this; }
        public Builder mainTrainResolution(int v) { mainTrainResolution = v; return this; }
        public Builder gridTrainResolutions(List<Integer> v) { gridTrainResolutions = List.copyOf(v); return this; }
        public Builder gridTestResolutions(List<Integer> v) { gridTestResolutions = List.copyOf(v); return this; }
        public Builder seeds(List<Long> v) { seeds = List.copyOf(v); return this; }
        /** The further seeds' test resolutions (those of the grid's the list names); {@code null}: all of the grid's. */
        public Builder seedTestResolutions(List<Integer> v) { seedTestResolutions = v == null ? null : List.copyOf(v); return this; }
        public Builder limitTrain(int v) { limitTrain = v; return this; }
        public Builder limitTest(int v) { limitTest = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder learningRate(float v) { learningRate = v; return this; }
        public Builder fineTuneEpochs(int v) { fineTuneEpochs = v; return this; }
        public Builder fineTuneLimitTrain(int v) { fineTuneLimitTrain = v; return this; }
        public Builder sweepFrom(int v) { sweepFrom = v; return this; }
        public Builder sweepTo(int v) { sweepTo = v; return this; }
        public Builder sweepLimitTest(int v) { sweepLimitTest = v; return this; }
        public Builder statsLimitImages(int v) { statsLimitImages = v; return this; }
        public Builder timingRepeats(int v) { timingRepeats = v; return this; }
        public Builder timingBatchSize(int v) { timingBatchSize = v; return this; }
        public Builder recalibrateAllBatchNorms(boolean v) { recalibrateAllBatchNorms = v; return this; }

        /** @throws InvalidParameterException naming the setting that does not fit the others */
        public StudyPlan build() {
            return new StudyPlan(this);
        }
    }
}
