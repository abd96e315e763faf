package io.fixres.study;

import io.fixres.io.InvalidParameterException;

import io.fixres.train.FixResMethod;
import io.fixres.train.LastBatchNormFineTuner;
import io.fixres.train.OnePassFineTuner;
import io.fixres.train.SgdConfig;

import com.fasterxml.jackson.annotation.JsonKey;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import io.fixres.transform.TrainAugmentation;
import java.util.EnumMap;
import io.fixres.data.DataSplits;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.model.Checkpoint;
import io.fixres.model.ModelCard;
import io.fixres.report.Table;
import io.fixres.core.LastBatchNormMode;
import io.fixres.train.LastBatchNormFineTuner.FineTuneAugmentation;
import io.fixres.train.LastBatchNormFineTuner.Recipe;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Which part of the FixRes step matters (supplement Table 6) and which fine-tuning augmentation
 * (Table 8): one trained checkpoint evaluated at each test resolution without fine-tuning, then
 * fine-tuned there with the classifier alone or classifier + last BatchNorm, each with train DA
 * and test DA, plus classifier + BN with test DA2. Every fine-tuning starts from a fresh load of
 * the checkpoint.
 */
public final class AblationStudy {

    /**
     * A fine-tuning configuration of the study: a row of Table 6 (the paper's four SGD rows, then
     * fixres's one-pass fine-tuning and the two label-free recalibrations), or test DA2 for Table 8.
     */
    public enum Variant {
        CLASSIFIER_TRAIN_DA(FixResMethod.SGD, false, FineTuneAugmentation.TRAIN),
        CLASSIFIER_TEST_DA(FixResMethod.SGD, false, FineTuneAugmentation.TEST),
        CLASSIFIER_BN_TRAIN_DA(FixResMethod.SGD, true, FineTuneAugmentation.TRAIN),
        CLASSIFIER_BN_TEST_DA(FixResMethod.SGD, true, FineTuneAugmentation.TEST),
        /** Table 8 only. */
        CLASSIFIER_BN_TEST_DA2(FixResMethod.SGD, true, FineTuneAugmentation.TEST2),
        /** Classifier + last-BN statistics in one pass (cached features). */
        CACHED_CLASSIFIER_BN(FixResMethod.CACHED, true, FineTuneAugmentation.TEST),
        /** The last BatchNorm's statistics re-estimated at K; no label read, classifier untouched. */
        RECALIBRATE_LAST_BN(FixResMethod.RECALIBRATE_LAST, true, FineTuneAugmentation.TEST),
        /** Every BatchNorm's statistics re-estimated at K; no label read, classifier untouched. */
        RECALIBRATE_ALL_BN(FixResMethod.RECALIBRATE_ALL, true, FineTuneAugmentation.TEST);

        /** Table 6's rows, in order (DA2 is Table 8's). */
        public static final List<Variant> TABLE6 = List.of(CLASSIFIER_TRAIN_DA, CLASSIFIER_TEST_DA,
                CLASSIFIER_BN_TRAIN_DA, CLASSIFIER_BN_TEST_DA, CACHED_CLASSIFIER_BN, RECALIBRATE_LAST_BN,
                RECALIBRATE_ALL_BN);

        private final FixResMethod method;
        private final boolean batchNorm;
        private final FineTuneAugmentation augmentation;

        Variant(FixResMethod method, boolean batchNorm, FineTuneAugmentation augmentation) {
            this.method = method;
            this.batchNorm = batchNorm;
            this.augmentation = augmentation;
        }

        public FixResMethod method() { return method; }

        public boolean batchNorm() { return batchNorm; }

        public FineTuneAugmentation augmentation() { return augmentation; }

        /** "classifier+bn/test" (the SGD rows, as before), "cached/classifier+bn/test", "recalibrate-last". */
        @JsonValue
        @JsonKey
        public String id() {
            String sgd = (batchNorm ? "classifier+bn" : "classifier") + "/" + augmentation.id();
            return switch (method) {
                case SGD -> sgd;
                case CACHED -> "cached/" + sgd;
                case RECALIBRATE_LAST, RECALIBRATE_ALL -> method.id();
            };
        }

        @Override
        public String toString() { return id(); }

        /** Table 6's "Classifier" cell: trained or not. */
        String classifierCell() { return method.labelFree() ? "-" : "✓"; }

        /** Table 6's "Batch-norm" cell. */
        String batchNormCell() {
            return switch (method) {
                case RECALIBRATE_LAST -> "last, no labels";
                case RECALIBRATE_ALL -> "all, no labels";
                default -> batchNorm ? "✓" : "-";
            };
        }

        /** Table 6's "Method" cell. */
        String methodCell() {
            return switch (method) {
                case SGD -> "SGD";
                case CACHED -> "one pass";
                case RECALIBRATE_LAST, RECALIBRATE_ALL -> "recalibration";
            };
        }

        Recipe recipe(Recipe base) {
            Recipe recipe = base.with(batchNorm ? base.bn() : LastBatchNormMode.NONE, augmentation);
            if (method == FixResMethod.CACHED) {
                // the one-pass step fits the classifier on cached features: its epochs cost seconds
                SgdConfig s = base.sgd();
                recipe = new Recipe(LastBatchNormMode.STATS, augmentation, new SgdConfig(
                        OnePassFineTuner.DEFAULT_CLASSIFIER_EPOCHS, s.batchSize(), s.learningRate(), s.momentum(),
                        s.weightDecay(), s.schedule(), s.seed(), s.loaderThreads()));
            }
            return recipe;
        }
    }

    /**
     * @param checkpoint the trained model's directory
     * @param testResolutions K values, the table's columns
     * @param recipe SGD settings of every fine-tuning, and the BN mode of the "batch-norm" rows
     *     (stats, the published code, or affine); its augmentation is replaced per row
     * @param variants the fine-tunings measured, in {@link Variant}'s order whatever the list's
     */
    public record Request(Path checkpoint, List<Integer> testResolutions, Recipe recipe, List<Variant> variants) {
        /** Every variant. */
        public Request(Path checkpoint, List<Integer> testResolutions, Recipe recipe) {
            this(checkpoint, testResolutions, recipe, List.of(Variant.values()));
        }

        public Request {
            Objects.requireNonNull(checkpoint, "checkpoint");
            variants = java.util.Arrays.stream(Variant.values()).filter(variants::contains).toList();
            if (!variants.contains(Variant.CLASSIFIER_BN_TEST_DA) || !variants.contains(Variant.CLASSIFIER_BN_TEST_DA2)) {
                throw new InvalidParameterException("ablation variants", "must include " + Variant.CLASSIFIER_BN_TEST_DA
                        + " and " + Variant.CLASSIFIER_BN_TEST_DA2 + " (Table 8 compares them)", variants);
            }
            testResolutions = List.copyOf(testResolutions);
            if (testResolutions.isEmpty()) {
                throw new InvalidParameterException("test resolutions", "must not be empty", testResolutions);
            }
            Objects.requireNonNull(recipe, "recipe");
            if (recipe.bn() == LastBatchNormMode.NONE) {
                throw new InvalidParameterException("last batch-norm mode", "must be stats or affine (none leaves the "
                        + "ablation's batch-norm rows without a batch-norm)", recipe.bn());
            }
        }
    }

    /** Top-1 (with top-5 and image counts) at each test resolution, without and with each fine-tuning. */
    public record Result(
            @JsonProperty("model") String model,
            @JsonProperty("train_res") int trainResolution,
            @JsonProperty("train_aug") TrainAugmentation trainAugmentation,
            @JsonProperty("bn_mode") LastBatchNormMode bnMode,
            @JsonProperty("fine_tuning") String fineTuning,
            @JsonProperty("no_finetuning") Map<Integer, ResolutionAccuracy> noFineTuning,
            @JsonProperty("finetuned") Map<Variant, Map<Integer, ResolutionAccuracy>> fineTuned) {

        public List<Integer> testResolutions() { return new ArrayList<>(noFineTuning.keySet()); }

        public ResolutionAccuracy fineTuned(Variant variant, int testResolution) {
            return fineTuned.get(variant).get(testResolution);
        }

        /**
         * Supplement Table 6: rows no fine-tuning / classifier with train DA / classifier with test
         * DA / classifier + BN with train DA / classifier + BN with test DA; columns test
         * resolutions; the best top-1 of each row marked.
         */
        public Table table6() {
            List<String> headers = new ArrayList<>(List.of("Train resolution", "Classifier", "Batch-norm", "Data aug.",
                    "Method"));
            testResolutions().forEach(k -> headers.add(String.valueOf(k)));
            Table table = new Table(String.format(Locale.ROOT,
                    "Ablation (Table 6): top-1 at each test resolution, train %d px (%s), batch-norm = %s",
                    trainResolution, trainAugmentation, bnMode), headers);
            table.row(row(String.valueOf(trainResolution), "-", "-", "n/a", "-", noFineTuning));
            for (Variant v : Variant.TABLE6) {
                if (fineTuned.containsKey(v)) { // results cached before a row existed lack it
                    table.row(row("", v.classifierCell(), v.batchNormCell(), v.augmentation() == FineTuneAugmentation.TRAIN
                            ? "train DA" : "test DA", v.methodCell(), fineTuned.get(v)));
                }
            }
            return table.markBestPerRow();
        }

        /** Supplement Table 8: test DA vs test DA2 after fine-tuning classifier + BN, one row per test resolution. */
        public Table table8() {
            Table table = new Table("Test DA vs test DA2 (Table 8): top-1 after fine-tuning classifier + batch-norm ("
                    + bnMode + ")", "Model", "Train", "Test", "Top-1 test DA (%)", "Top-1 test DA2 (%)");
            for (int k : testResolutions()) {
                table.row(model, String.valueOf(trainResolution), String.valueOf(k),
                        fineTuned(Variant.CLASSIFIER_BN_TEST_DA, k).top1(), fineTuned(Variant.CLASSIFIER_BN_TEST_DA2, k).top1());
            }
            return table.markBestPerRow();
        }

        private List<Object> row(String train, String classifier, String bn, String da, String method,
                                 Map<Integer, ResolutionAccuracy> byResolution) {
            List<Object> cells = new ArrayList<>(List.of(train, classifier, bn, da, method));
            testResolutions().forEach(k -> cells.add(byResolution.get(k).top1()));
            return cells;
        }
    }

    private AblationStudy() {}

    /**
     * Runs the study. Cells found in {@code cache} are not measured again.
     *
     * @throws IllegalArgumentException if a test resolution is below the network's minimum or the
     *     directory is not a checkpoint, before anything is computed
     */
    public static Result run(Request request, DataSplits data, ResultCache cache, StudyProgress progress)
            throws IOException {
        ModelCard card = check(request);
        String model = request.checkpoint().getFileName() == null ? request.checkpoint().toString()
                : request.checkpoint().getFileName().toString();
        java.util.function.IntFunction<CellKey> keyOf = k -> CellKey.noFineTuning(data,
                request.checkpoint(), card, k);
        List<Integer> ks = request.testResolutions();
        int steps = ks.size() * (1 + request.variants().size());
        int[] step = {1};
        SgdConfig sgd = request.recipe().sgd();
        Map<Integer, ResolutionAccuracy> none = new LinkedHashMap<>();
        Map<Variant, Map<Integer, ResolutionAccuracy>> tuned = new EnumMap<>(Variant.class);
        // resolution by resolution: one evaluation at K, its last block kept, serves every variant at K
        for (int k : ks) {
            Map<Variant, CheckpointMeasurements.Tuning> tunings = tunings(request, keyOf.apply(k), data, model);
            var measured = CheckpointMeasurements.atResolution(request.checkpoint(), model, data, data, k, keyOf.apply(k),
                    List.copyOf(tunings.values()), Math.max(256, sgd.batchSize()), sgd.loaderThreads(), cache,
                    progress.training(), (description, cached) -> progress.stepStarted(step[0]++, steps, description,
                            cached));
            none.put(k, measured.get(keyOf.apply(k)));
            tunings.forEach((variant, t) -> tuned.computeIfAbsent(variant, v -> new LinkedHashMap<>())
                    .put(k, measured.get(t.key())));
        }
        return new Result(model, card.getTrainResolution(), card.getTrainAugmentation(), request.recipe().bn(),
                request.recipe().sgdSummary(), none, tuned);
    }

    /**
     * The request's fine-tunings at the resolution of {@code untouched} (the checkpoint's cell there
     * without fine-tuning), each with its cache key: what {@link #run} measures at that K, and what
     * a grid that evaluates the same checkpoint at K can measure off its own evaluation
     * ({@link ResolutionGridStudy}), so the ablation finds them cached.
     */
    static Map<Variant, CheckpointMeasurements.Tuning> tunings(Request request, CellKey untouched, DataSplits data,
                                                               String model) {
        int k = untouched.testResolution();
        Map<Variant, CheckpointMeasurements.Tuning> tunings = new EnumMap<>(Variant.class);
        for (Variant variant : request.variants()) {
            LastBatchNormFineTuner.Request fineTuning = variant.recipe(request.recipe()).at(k);
            tunings.put(variant, new CheckpointMeasurements.Tuning(untouched.fineTuned(variant.method(), fineTuning,
                    data), variant.method(), fineTuning, "fine-tune " + model + " at " + k + " px: " + variant.id()));
        }
        return tunings;
    }

    /**
     * Reads the checkpoint's card and checks every test resolution against the network it
     * describes ({@link #run} does it too; call it to fail before loading data).
     */
    public static ModelCard check(Request request) throws IOException {
        Path cardFile = request.checkpoint().resolve(Checkpoint.CARD_FILE);
        if (!java.nio.file.Files.isRegularFile(cardFile)) {
            throw new IllegalArgumentException(request.checkpoint() + " has no " + Checkpoint.CARD_FILE
                    + ": not a fixres checkpoint");
        }
        ModelCard card = ModelCard.read(cardFile);
        var net = card.networkBuilder().build();
        request.testResolutions().forEach(net::checkResolution);
        return card;
    }
}
