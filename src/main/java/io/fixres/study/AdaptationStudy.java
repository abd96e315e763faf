package io.fixres.study;

import io.fixres.io.InvalidParameterException;

import io.fixres.activation.ActivationMeasurement;
import io.fixres.activation.AdaptationMethod;
import io.fixres.activation.AdaptationRecord;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.eval.ResolutionEvaluation;
import io.fixres.train.LastBlockEvaluation;
import io.fixres.train.OnePassFineTuner;
import io.fixres.train.TrainingProgress;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.data.ImageDataset;
import io.fixres.core.ActivationHook;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import io.fixres.report.LinePlot;
import io.fixres.report.Table;
import io.fixres.stats.FrechetDistribution;
import io.fixres.stats.FrechetFit;
import io.fixres.stats.FrechetFitResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Supplement A's experiment (Table 4): statistics measured on training images with the test
 * transform at {@code K_test = K_train} are the reference ("on training images for K_test =
 * K_train"); at each test resolution the same images give the test statistics, and the test set
 * is evaluated without adaptation (baseline), with the Fréchet map (A.1), with the Gaussian map
 * (A.2) and, through a caller-supplied {@link ClassifierFineTuning}, with fine-tuning alone or on
 * top of an adaptation. The network's own weights are never changed.
 */
public final class AdaptationStudy {

    /** One row of Table 4: an adaptation or none, a fine-tuning or none. */
    public record RowSpec(
            @JsonProperty("adaptation") AdaptationMethod adaptation,
            @JsonProperty("fine_tuning") ClassifierFineTuning.Scope fineTuning) {

        public static final RowSpec BASELINE = new RowSpec(null, null);

        @JsonProperty("name")
        public String name() {
            if (adaptation == null && fineTuning == null) {
                return "baseline";
            }
            String adapted = adaptation == null ? "" : "adapted " + adaptation.label();
            String tuned = fineTuning == null ? "" : fineTuning == ClassifierFineTuning.Scope.RECALIBRATE_LAST
                    || fineTuning == ClassifierFineTuning.Scope.RECALIBRATE_ALL ? fineTuning.label() : "FT " + fineTuning.label();
            return adapted.isEmpty() ? tuned : tuned.isEmpty() ? adapted : adapted + " + " + tuned;
        }
    }

    /** Baseline and one adaptation: what {@code fixres adapt} shows without {@code --table4}. */
    public static List<RowSpec> adaptRows(AdaptationMethod method) {
        return List.of(RowSpec.BASELINE, new RowSpec(method, null));
    }

    /**
     * Table 4's rows: baseline; adapted (Fréchet, and Gaussian as its own row); FT classifier;
     * FT classifier + BN; adapted ({@code combined}) + FT classifier; then fixres's label-free
     * recalibrations of the last and of every BatchNorm.
     */
    public static List<RowSpec> table4Rows(AdaptationMethod combined) {
        return List.of(RowSpec.BASELINE,
                new RowSpec(AdaptationMethod.FRECHET, null),
                new RowSpec(AdaptationMethod.GAUSSIAN, null),
                new RowSpec(null, ClassifierFineTuning.Scope.CLASSIFIER),
                new RowSpec(null, ClassifierFineTuning.Scope.CLASSIFIER_AND_BATCH_NORM),
                new RowSpec(combined, ClassifierFineTuning.Scope.CLASSIFIER),
                new RowSpec(null, ClassifierFineTuning.Scope.RECALIBRATE_LAST),
                new RowSpec(null, ClassifierFineTuning.Scope.RECALIBRATE_ALL));
    }

    /** The statistics at one test resolution and the two maps they give. */
    public record ResolutionStatistics(
            @JsonProperty("test_res") int resolution,
            @JsonProperty("frechet_fit") FrechetFitResult frechetFit,
            @JsonProperty("frechet") AdaptationRecord frechet,
            @JsonProperty("gaussian") AdaptationRecord gaussian) {

        public AdaptationRecord adaptation(AdaptationMethod method) {
            return method == AdaptationMethod.FRECHET ? frechet : gaussian;
        }
    }

    public record RowResult(@JsonProperty("row") RowSpec row, @JsonProperty("results") List<ResolutionAccuracy> accuracies) {}

    /**
     * @param reference the Fréchet fit at the train resolution on the statistics images
     */
    public record Result(
            @JsonProperty("train_res") int trainResolution,
            @JsonProperty("statistics_images") long statisticsImages,
            @JsonProperty("reference_frechet_fit") FrechetFitResult reference,
            @JsonProperty("statistics") List<ResolutionStatistics> statistics,
            @JsonProperty("rows") List<RowResult> rows) {

        /** Table 4's layout: the row's adaptation and fine-tuning ticks, then top-1 per test resolution. */
        public Table table(String title) {
            List<String> headers = new ArrayList<>(List.of("adapted distribution", "FT classifier", "FT batch-norm"));
            statistics.forEach(s -> headers.add(s.resolution() + " px"));
            Table t = new Table(title, headers).numberFormat(Table.ONE_DECIMAL);
            for (RowResult r : rows) {
                List<Object> cells = new ArrayList<>();
                cells.add(r.row().adaptation() == null ? "-" : r.row().adaptation().label());
                ClassifierFineTuning.Scope scope = r.row().fineTuning();
                cells.add(scope == ClassifierFineTuning.Scope.CLASSIFIER
                        || scope == ClassifierFineTuning.Scope.CLASSIFIER_AND_BATCH_NORM ? "yes" : "-");
                cells.add(scope == null || scope == ClassifierFineTuning.Scope.CLASSIFIER ? "-"
                        : scope == ClassifierFineTuning.Scope.CLASSIFIER_AND_BATCH_NORM ? "yes"
                        : scope == ClassifierFineTuning.Scope.RECALIBRATE_LAST ? "last, no labels" : "all, no labels");
                r.accuracies().forEach(a -> cells.add(a.top1()));
                t.row(cells);
            }
            return t.markBestPerColumn();
        }

        /** Top-1 against test resolution, one line per row, the train resolution marked. */
        public LinePlot plot(String title) {
            LinePlot.Builder plot = LinePlot.builder().title(title).xLabel("test resolution (px)").yLabel("top-1 (%)")
                    .markers(true).verticalLine(trainResolution, "train " + trainResolution + " px");
            double[] x = statistics.stream().mapToDouble(ResolutionStatistics::resolution).toArray();
            for (RowResult r : rows) {
                plot.series(r.row().name(), x, r.accuracies().stream().mapToDouble(ResolutionAccuracy::top1).toArray());
            }
            return plot.build();
        }

        /**
         * The map of {@code method} at {@code resolution} with the baseline and adapted top-1
         * when those rows were run: what a saved adapted model's card records.
         */
        @JsonIgnore
        public AdaptationRecord adaptation(AdaptationMethod method, int resolution) {
            int column = -1;
            for (int i = 0; i < statistics.size(); i++) {
                if (statistics.get(i).resolution() == resolution) {
                    column = i;
                }
            }
            if (column < 0) {
                throw new IllegalArgumentException("no statistics at " + resolution + " px in this study");
            }
            Double before = top1(RowSpec.BASELINE, column);
            Double after = top1(new RowSpec(method, null), column);
            return statistics.get(column).adaptation(method).withAccuracies(before, after);
        }

        private Double top1(RowSpec spec, int column) {
            return rows.stream().filter(r -> r.row().equals(spec)).findFirst()
                    .map(r -> r.accuracies().get(column).top1()).orElse(null);
        }
    }

    /** Where the study is; the CLI draws a progress bar per stage. */
    public interface Progress {
        Progress NONE = new Progress() {};

        /** A pass over {@code images} images starts. */
        default void stageStarted(String description, long images) {}

        default void imagesDone(int images) {}

        default void stageDone() {}
    }

    private final ResNet net;
    private final ModelCard card;
    private final NDManager manager;
    private final int batchSize;
    private final int loaderThreads;
    private final ActivationMeasurement measurement;
    private final ResolutionEvaluation evaluation;
    private double xi = FrechetDistribution.PAPER_XI;
    private boolean truncatedAtZero;
    private ClassifierFineTuning fineTuning;
    private ResultCache cells = ResultCache.NONE;
    private IntFunction<CellKey> untouchedKey;

    public AdaptationStudy(ResNet net, ModelCard card, NDManager manager, int batchSize, int loaderThreads) {
        this.net = net;
        this.card = card;
        this.manager = manager;
        this.batchSize = batchSize;
        this.loaderThreads = loaderThreads;
        this.measurement = new ActivationMeasurement(net, card, manager, batchSize, loaderThreads);
        this.evaluation = new ResolutionEvaluation(net, card, manager, batchSize, loaderThreads);
    }

    /** The fixed Fréchet shape both fits share (an affine map keeps the shape); default 0.3. */
    public AdaptationStudy xi(double xi) {
        InvalidParameterException.require(xi > 0 && Double.isFinite(xi), "xi", "must be > 0", xi);
        this.xi = xi;
        return this;
    }

    /** Fit the Fréchet conditioned on x &gt; 0 (see {@link FrechetFit.Builder#truncatedAtZero}); default off. */
    public AdaptationStudy truncatedAtZero(boolean truncated) {
        this.truncatedAtZero = truncated;
        return this;
    }

    /** Non-zero pooled values kept per measurement for the Fréchet fits. */
    public AdaptationStudy reservoirCapacity(int capacity) {
        measurement.reservoirCapacity(capacity);
        return this;
    }

    /** Seeds the reservoir samples. */
    public AdaptationStudy seed(long seed) {
        measurement.seed(seed);
        return this;
    }

    /**
     * Statistics of the unadapted network on the statistics images, by resolution, measured elsewhere
     * with the same seed and reservoir (see {@link ActivationMeasurement#remembering}): read instead of
     * a pass, and filled with the ones this study measures.
     */
    public AdaptationStudy rememberingStatistics(Map<Integer, ActivationMeasurement.Measured> memo) {
        measurement.remembering(memo);
        return this;
    }

    /** Needed by rows with a fine-tuning. */
    public AdaptationStudy fineTuning(ClassifierFineTuning fineTuning) {
        this.fineTuning = fineTuning;
        return this;
    }

    /**
     * The baseline row's accuracy at K is read from (or written to) {@code cells} under
     * {@code untouchedKey.apply(K)}: in {@code reproduce} it is Table 5's cell of the same model.
     */
    public AdaptationStudy untouchedCells(ResultCache cells, IntFunction<CellKey> untouchedKey) {
        this.cells = Objects.requireNonNull(cells, "cells");
        this.untouchedKey = Objects.requireNonNull(untouchedKey, "untouchedKey");
        return this;
    }

    /**
     * Runs {@code rows} at every test resolution.
     *
     * @param statisticsImages training images the statistics are measured on (test transform)
     * @param testImages       images the accuracies are measured on
     */
    public Result run(List<RowSpec> rows, ImageDataset statisticsImages, ImageDataset testImages,
                      List<Integer> resolutions, Progress progress) throws Exception {
        if (rows.stream().anyMatch(r -> r.fineTuning() != null) && fineTuning == null) {
            throw new IllegalStateException("rows with fine-tuning need a ClassifierFineTuning (see fineTuning(...))");
        }
        if (net.getActivationHook() != ActivationHook.IDENTITY) {
            throw new IllegalStateException("the network already has an activation hook installed ("
                    + net.getActivationHook() + "): measure the unadapted network");
        }
        resolutions.forEach(net::checkResolution);
        FrechetFit fitter = FrechetFit.builder().xi(xi).truncatedAtZero(truncatedAtZero).build();
        int trainRes = card.getTrainResolution();
        ActivationMeasurement.Measured reference = measure(statisticsImages, trainRes, progress);
        FrechetFitResult referenceFit = reference.pooled().fit(fitter);

        List<ResolutionStatistics> statistics = new ArrayList<>();
        List<List<ResolutionAccuracy>> accuracies = new ArrayList<>();
        rows.forEach(r -> accuracies.add(new ArrayList<>()));
        for (int k : resolutions) {
            ActivationMeasurement.Measured measured = k == trainRes ? reference : measure(statisticsImages, k, progress);
            FrechetFitResult fit = k == trainRes ? referenceFit : measured.pooled().fit(fitter);
            ResolutionStatistics stats = new ResolutionStatistics(k, fit,
                    AdaptationRecord.frechet(trainRes, k, referenceFit, fit, statisticsImages.size()),
                    AdaptationRecord.gaussian(trainRes, k, reference.preReLU(), measured.preReLU(),
                            statisticsImages.size()));
            statistics.add(stats);
            // the adapted rows at K share one evaluation pass whose last block is kept (Table 4's
            // adaptations act on the last block's pre-ReLU output and the pooled features only)
            KeptEvaluation kept = new KeptEvaluation(testImages, k, progress);
            for (int i = 0; i < rows.size(); i++) {
                ResolutionAccuracy unTuned = null; // the same network and hook without fine-tuning, if already run
                for (int j = 0; j < i; j++) {
                    if (rows.get(j).fineTuning() == null && rows.get(j).adaptation() == rows.get(i).adaptation()) {
                        unTuned = accuracies.get(j).get(accuracies.get(j).size() - 1);
                    }
                }
                accuracies.get(i).add(runRow(rows.get(i), stats, testImages, unTuned, kept, progress));
            }
        }
        List<RowResult> results = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            results.add(new RowResult(rows.get(i), List.copyOf(accuracies.get(i))));
        }
        return new Result(trainRes, statisticsImages.size(), referenceFit, statistics, results);
    }

    private ActivationMeasurement.Measured measure(ImageDataset images, int resolution, Progress progress) {
        progress.stageStarted("statistics " + resolution + " px", images.size());
        try {
            return measurement.measure(images, resolution, progress::imagesDone);
        } finally {
            progress.stageDone();
        }
    }

    /**
     * The untouched network's evaluation at K with its last block kept ({@link LastBlockEvaluation}),
     * run when the first adapted row at K asks for it; rows measured after it read their accuracy
     * from it instead of another pass over the test images.
     */
    private final class KeptEvaluation {
        private final ImageDataset testImages;
        private final int k;
        private final Progress progress;
        private LastBlockEvaluation measured;

        KeptEvaluation(ImageDataset testImages, int k, Progress progress) {
            this.testImages = testImages;
            this.k = k;
            this.progress = progress;
        }

        /** Measures it now if it was not yet. */
        LastBlockEvaluation get() {
            if (measured == null) {
                TrainingProgress passes = new TrainingProgress() {
                    @Override
                    public void passStarted(String name, long images) {
                        progress.stageStarted("evaluate " + k + " px, last block kept for the adapted rows", images);
                    }

                    @Override
                    public void imagesDone(int images) {
                        progress.imagesDone(images);
                    }

                    @Override
                    public void passDone() {
                        progress.stageDone();
                    }
                };
                measured = LastBlockEvaluation.measure(net, manager, card, testImages, k, batchSize, loaderThreads,
                        OnePassFineTuner.Options.defaults().memoryBudgetBytes(), passes);
            }
            return measured;
        }

        /** The evaluation if it ran and kept every image's activations, else null. */
        LastBlockEvaluation ifComplete() {
            return measured != null && measured.complete() ? measured : null;
        }
    }

    private ResolutionAccuracy runRow(RowSpec row, ResolutionStatistics stats, ImageDataset testImages,
                                      ResolutionAccuracy unTuned, KeptEvaluation kept, Progress progress)
            throws Exception {
        int k = stats.resolution();
        ActivationHook hook = row.adaptation() == null ? ActivationHook.IDENTITY : stats.adaptation(row.adaptation()).hook();
        if (row.fineTuning() != null) {
            progress.stageStarted(row.name() + " " + k + " px", 0);
            try {
                return fineTuning.fineTune(k, row.fineTuning(), hook, unTuned,
                        hook == ActivationHook.IDENTITY ? null : kept.ifComplete());
            } finally {
                progress.stageDone();
            }
        }
        if (hook != ActivationHook.IDENTITY && kept.get().complete()) {
            net.setActivationHook(hook);
            try {
                return kept.get().after(net, manager);
            } finally {
                net.setActivationHook(ActivationHook.IDENTITY);
            }
        }
        if (row.equals(RowSpec.BASELINE) && untouchedKey != null) {
            Optional<ResolutionAccuracy> known = cells.get(untouchedKey.apply(k));
            if (known.isPresent()) {
                return known.get();
            }
        }
        progress.stageStarted(row.name() + " " + k + " px", testImages.size());
        net.setActivationHook(hook);
        try {
            ResolutionAccuracy measured = evaluation.at(testImages, k, card.getTestCropRatio(), progress::imagesDone);
            if (row.equals(RowSpec.BASELINE) && untouchedKey != null) {
                cells.put(untouchedKey.apply(k), measured);
            }
            return measured;
        } finally {
            net.setActivationHook(ActivationHook.IDENTITY);
            progress.stageDone();
        }
    }
}
