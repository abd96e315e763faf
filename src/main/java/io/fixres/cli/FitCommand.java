package io.fixres.cli;

import io.fixres.io.InvalidParameterException;

import ai.djl.Model;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.fixres.data.DataSplits;
import io.fixres.data.ImageDataset;
import io.fixres.activation.ActivationFits;
import io.fixres.activation.ActivationMeasurement;
import io.fixres.activation.AdaptationHooks;
import io.fixres.model.Checkpoint;
import io.fixres.io.AtomicFiles;
import io.fixres.io.Json;
import io.fixres.report.ProgressBar;
import io.fixres.report.Table;
import io.fixres.stats.FrechetFit;
import io.fixres.stats.ScalarSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fit the Fréchet CDF exp(-(1 + xi (x - mu)/sigma)^(-1/xi)) to the non-zero pooled activations "
                + "at each test resolution (supplement A.1, Figure 6).",
            "Prints mu, sigma, xi, the zero fraction and the fit errors; with --out writes fit.json, fit.md and figure6.png."})
final class FitCommand implements Callable<Integer> {
    @Mixin ModelOptions model;
    @Mixin DataOptions data;
    @Mixin SkipBadImagesOption skip;
    @Mixin EngineOptions engine;

    @Option(names = "--test-res", paramLabel = "LIST", required = true, converter = Resolutions.class,
            description = "Resolutions to measure at: 24 or 16,24,32 or ranges 16-64:8.")
    List<Integer> testRes;

    @Option(names = "--xi", paramLabel = "XI", defaultValue = "0.3",
            description = "Fréchet shape, fixed (paper: 0.3), or the starting value with --fit-xi. Default ${DEFAULT-VALUE}.")
    double xi;

    @Option(names = "--fit-xi", description = "Fit the shape xi too instead of keeping it fixed.")
    boolean fitXi;

    @Option(names = "--truncate-at-zero", description = "Fit the Fréchet conditioned on x > 0, (F(x) - F(0)) / (1 - F(0)): "
            + "the non-zero pooled activations are positive (default: the paper's plain model).")
    boolean truncateAtZero;

    @Option(names = "--split", paramLabel = "S", defaultValue = "test",
            description = "Images to measure: test (default) or train (the split after --limit-*).")
    String split;

    @Option(names = "--reservoir", paramLabel = "N", defaultValue = "" + ScalarSample.DEFAULT_CAPACITY,
            description = "Non-zero pooled values kept per resolution for the fit (uniform reservoir sample). Default ${DEFAULT-VALUE}.")
    int reservoir;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "256", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--out", paramLabel = "DIR", description = "Write fit.json, fit.md and figure6.png here.")
    Path out;

    /** fit.json: the fits and which checkpoint and split they describe. */
    record Output(@JsonProperty("model") String model, @JsonProperty("split") String split,
                  @JsonUnwrapped ActivationFits.Figure6 result) {}

    @Override
    public Integer call() throws Exception {
        InvalidParameterException.require(reservoir >= 1, "reservoir capacity", "must be >= 1", reservoir);
        FrechetFit fitter = FrechetFit.builder().xi(xi).fitXi(fitXi).truncatedAtZero(truncateAtZero).build();
        if (!split.equals("test") && !split.equals("train")) {
            throw new IllegalArgumentException("--split must be test or train, got '" + split + "'");
        }
        if (out != null) {
            AtomicFiles.requireWritableDirectory(out);
        }
        ActivationFits.Figure6 result;
        try (Model djl = Model.newInstance("fixres")) {
            Checkpoint.LoadedModel loaded = Checkpoint.load(model.dir(), djl.getNDManager());
            loaded.net().setActivationHook(AdaptationHooks.fromCard(loaded.card()));
            testRes.forEach(k -> Resolutions.requireUseful(loaded.net(), k, "--test-res"));
            DataSplits splits = skip.apply(data.load(engine.seed()));
            ImageDataset images = split.equals("test") ? splits.test() : splits.train();
            Checkpoint.requireFits(model.dir(), loaded.card(), images);
            ActivationMeasurement measurement = new ActivationMeasurement(loaded.net(), loaded.card(),
                    djl.getNDManager(), batchSize, engine.threads()).reservoirCapacity(reservoir).seed(engine.seed());
            try (ProgressBar bar = new ProgressBar("fit", (long) images.size() * testRes.size(), "images")) {
                result = ActivationFits.measure(measurement, loaded.card().getTrainResolution(), images, testRes, fitter,
                        bar::step);
            }
        }
        skip.report("fit", System.err);
        String title = String.format(Locale.ROOT, "Fréchet fit%s of the pooled activations (%s, %s images, train %d px, xi %s)",
                truncateAtZero ? " (truncated at 0)" : "", model.dir().getFileName(), split, result.trainResolution(),
                fitXi ? "fitted" : "fixed at " + xi);
        Table table = result.table(title);
        System.out.print(table.toText());
        if (out != null) {
            Files.createDirectories(out);
            Json.write(out.resolve("fit.json"), new Output(model.dir().toString(), split, result));
            AtomicFiles.writeString(out.resolve("fit.md"), table.toMarkdown());
            result.figure("Fréchet fit" + (truncateAtZero ? " (truncated at 0)" : "") + " of the pooled activations ("
                    + split + " images, trained at " + result.trainResolution() + " px)")
                    .writePng(out.resolve("figure6.png"), 900, 600);
            System.out.println("wrote " + out.resolve("fit.json") + ", " + out.resolve("fit.md") + ", "
                    + out.resolve("figure6.png"));
        }
        return 0;
    }
}
