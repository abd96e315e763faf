package io.fixres.cli;

import ai.djl.Model;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.data.DataSplits;
import io.fixres.data.ImageDataset;
import io.fixres.data.Subsets;
import io.fixres.activation.AdaptationMethod;
import io.fixres.activation.AdaptationRecord;
import io.fixres.study.AdaptationStudy;
import io.fixres.model.Checkpoint;
import io.fixres.model.ModelCard;
import io.fixres.io.AtomicFiles;
import io.fixres.io.Json;
import io.fixres.report.ProgressBar;
import io.fixres.report.Table;
import io.fixres.stats.ScalarSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "adapt", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Parameter-free distribution adaptation (supplement A, Table 4): match the activation statistics "
                + "at each test resolution to those at the train resolution, measured on training images with the "
                + "test transform, and evaluate.",
            "frechet (A.1): affine map of the non-zero pooled features between the Fréchet fits; "
                + "gaussian (A.2): per-channel mean/std matching before the last ReLU."})
final class AdaptCommand implements Callable<Integer> {
    @Mixin ModelOptions model;
    @Mixin DataOptions data;
    @Mixin EngineOptions engine;

    @Option(names = "--test-res", paramLabel = "LIST", required = true, converter = Resolutions.class,
            description = "Test resolutions: 16,20,24 or ranges 16-64:4.")
    List<Integer> testRes;

    @Option(names = "--method", paramLabel = "M", defaultValue = "frechet",
            description = "frechet (A.1, default) or gaussian (A.2); with --table4, the adaptation under the fine-tuned classifier.")
    AdaptationMethod method;

    @Option(names = "--table4", description = "All of Table 4's rows: baseline; adapted (frechet and gaussian); "
            + "FT classifier; FT classifier + BN; adapted + FT classifier.")
    boolean table4;

    @Option(names = "--stats-images", paramLabel = "N", defaultValue = "10000",
            description = "Training images (a seeded subset) the statistics are measured on. Default ${DEFAULT-VALUE}.")
    int statsImages;

    @Option(names = "--xi", paramLabel = "XI", defaultValue = "0.3",
            description = "Fixed Fréchet shape of both fits (an affine map keeps the shape). Default ${DEFAULT-VALUE}.")
    double xi;

    @Option(names = "--truncate-at-zero", description = "Fit the Fréchet conditioned on x > 0 (see fit --help).")
    boolean truncateAtZero;

    @Option(names = "--reservoir", paramLabel = "N", defaultValue = "" + ScalarSample.DEFAULT_CAPACITY,
            description = "Non-zero pooled values kept per resolution for the Fréchet fits. Default ${DEFAULT-VALUE}.")
    int reservoir;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "256",
            description = "Batch size of the statistics and evaluation passes (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin FineTuneRowOptions fineTune;

    @Option(names = "--results", paramLabel = "DIR", description = "Write adapt.json, adapt.md and adapt.png here.")
    Path results;

    @Option(names = "--out", paramLabel = "DIR2",
            description = "Save the adapted model (same weights, the adaptation recorded in its card); needs a single --test-res.")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing checkpoint in DIR2.")
    boolean force;

    /** adapt.json. */
    record Output(@JsonProperty("model") String model, @JsonProperty("method") AdaptationMethod method,
                  @JsonProperty("result") AdaptationStudy.Result result) {}

    @Override
    public Integer call() throws Exception {
        AdaptationMethod adaptation = method;
        if (out != null && testRes.size() != 1) {
            throw new IllegalArgumentException("--out saves the adaptation for one test resolution: give a single "
                    + "--test-res, got " + testRes);
        }
        if (out != null && Files.exists(out.resolve(Checkpoint.CARD_FILE)) && !force) {
            throw new IllegalArgumentException("--out " + out + " already holds a checkpoint; use --force to overwrite it");
        }
        if (statsImages < 1) {
            throw new IllegalArgumentException("--stats-images must be >= 1, got " + statsImages);
        }
        DataSplits splits = data.load(engine.seed());
        ImageDataset statistics = Subsets.limit(splits.train(), statsImages, engine.seed() + 2);
        List<AdaptationStudy.RowSpec> rows = table4
                ? AdaptationStudy.table4Rows(adaptation) : AdaptationStudy.adaptRows(adaptation);
        try (Model djl = Model.newInstance("fixres")) {
            Checkpoint.LoadedModel loaded = Checkpoint.load(model.dir(), djl.getNDManager());
            ModelCard card = loaded.card();
            if (card.getAdaptations() != null && !card.getAdaptations().isEmpty()) {
                throw new IllegalArgumentException(model.dir() + " already carries an adaptation (model.json "
                        + "adaptations): adapt the original checkpoint instead");
            }
            System.err.printf("fixres adapt: %s trained at %d px; statistics on %d training images, accuracy on %d test images%n",
                    model.dir(), card.getTrainResolution(), statistics.size(), splits.test().size());
            AdaptationStudy study = new AdaptationStudy(loaded.net(), card, djl.getNDManager(), batchSize, engine.threads())
                    .xi(xi).truncatedAtZero(truncateAtZero).reservoirCapacity(reservoir).seed(engine.seed());
            if (table4) {
                study.fineTuning(fineTune.rows(model.dir(), splits, engine));
            }
            AdaptationStudy.Result result = study.run(rows, statistics, splits.test(), testRes, new Bars());
            Table table = result.table("Top-1 (%) with distribution adaptation, trained at "
                    + card.getTrainResolution() + " px (supplement Table 4)");
            System.out.print(table.toText());
            printFits(result);
            if (results != null) {
                writeResults(result, table);
            }
            if (out != null) {
                AdaptationRecord record = result.adaptation(adaptation, testRes.get(0));
                Checkpoint.save(out, loaded.net(), record.appliedTo(card));
                System.out.println("wrote " + out.resolve(Checkpoint.PARAMS_FILE) + ", " + out.resolve(Checkpoint.CARD_FILE)
                        + " (" + adaptation.id() + " adaptation " + card.getTrainResolution() + " -> " + testRes.get(0) + " px)");
            }
        }
        return 0;
    }

    private static void printFits(AdaptationStudy.Result result) {
        Table fits = new Table("Fréchet fits on the statistics images (reference: train " + result.trainResolution() + " px)",
                "test res", "mu", "sigma", "zeros", "max |CDF err|", "A.1 scale", "A.1 shift").numberFormat("%.4f");
        for (AdaptationStudy.ResolutionStatistics s : result.statistics()) {
            fits.row(String.valueOf(s.resolution()), s.frechetFit().mu(), s.frechetFit().sigma(),
                    s.frechetFit().zeroFraction(), s.frechetFit().maxAbsCdfError(), s.frechet().scale()[0],
                    s.frechet().shift()[0]);
        }
        System.out.print(fits.toText());
    }

    private void writeResults(AdaptationStudy.Result result, Table table) throws java.io.IOException {
        Files.createDirectories(results);
        Json.write(results.resolve("adapt.json"), new Output(model.dir().toString(), method, result));
        AtomicFiles.writeString(results.resolve("adapt.md"), table.toMarkdown());
        result.plot("Distribution adaptation (trained at " + result.trainResolution() + " px)")
                .writePng(results.resolve("adapt.png"), 900, 600);
        System.out.println("wrote " + results.resolve("adapt.json") + ", " + results.resolve("adapt.md") + ", "
                + results.resolve("adapt.png"));
    }

    /** One progress bar per statistics or evaluation pass; fine-tuning draws its own. */
    private static final class Bars implements AdaptationStudy.Progress {
        private ProgressBar bar;

        @Override
        public void stageStarted(String description, long images) {
            bar = images > 0 ? new ProgressBar(description, images, "images") : null;
        }

        @Override
        public void imagesDone(int images) {
            if (bar != null) {
                bar.step(images);
            }
        }

        @Override
        public void stageDone() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
