package io.fixres.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import ai.djl.ndarray.NDManager;
import io.fixres.data.DataSplits;
import io.fixres.data.DatasetResolver;
import io.fixres.data.ImageDataset;
import io.fixres.data.Subsets;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.eval.ResolutionEvaluation;
import io.fixres.io.Json;
import io.fixres.model.Checkpoint;
import io.fixres.train.Recalibration;
import io.fixres.train.RunDirectory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "recalibrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Label-free FixRes: re-estimate BatchNorm statistics at the test resolution K from images whose "
                + "labels are never read; the classifier is untouched.",
            "--data may be a plain folder of images (no class sub-folders). With labelled data, top-1 at K on its test "
                + "split is measured before and after. Writes DIR2/model.params, DIR2/model.json (the card records the "
                + "recalibration) and DIR2/recalibrate.json."})
final class RecalibrateCommand implements Callable<Integer> {
    static final String RESULT_FILE = "recalibrate.json";

    @Mixin ModelOptions model;
    @Mixin EngineOptions engine;
    @Mixin SkipBadImagesOption skip;
    @Mixin ImageLimitOption imageLimit;

    @Option(names = "--data", paramLabel = "D", defaultValue = "fashion-mnist",
            description = "fashion-mnist (default; its training images), an IDX directory or ImageFolder (training "
                    + "split), or a plain folder of images.")
    String data;

    @Option(names = "--test-res", paramLabel = "K", required = true, description = "Test resolution to recalibrate for.")
    int testRes;

    @Option(names = "--layers", paramLabel = "L", defaultValue = "last",
            description = "last (default: the last BatchNorm, as the FixRes step) or all (every BatchNorm in one pass, "
                    + "as torch.optim.swa_utils.update_bn, with exact pooled statistics).")
    Recalibration.Layers layers;

    @Option(names = "--stats-images", paramLabel = "N", defaultValue = "0",
            description = "Use a seeded subset of N images for the statistics (default 0 = all).")
    int statsImages;

    @Option(names = "--limit-test", paramLabel = "N", description = "Measure top-1 on a seeded subset of N test images.")
    Integer limitTest;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "256", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--out", paramLabel = "DIR2", required = true, description = "Output checkpoint directory.")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing checkpoint in DIR2.")
    boolean force;

    /** recalibrate.json: the recalibration, and top-1 at K before/after when the data has labels. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Output(@JsonProperty("model") String model, @JsonProperty("out") String out,
                  @JsonProperty("test_res") int testResolution, @JsonProperty("layers") Recalibration.Layers layers,
                  @JsonProperty("images") long images, @JsonProperty("batch_norms") int batchNorms,
                  @JsonProperty("seconds") double seconds, @JsonProperty("before") ResolutionAccuracy before,
                  @JsonProperty("after") ResolutionAccuracy after) {}

    @Override
    public Integer call() throws Exception {
        RunDirectory.checkWritable(out, force);
        if (statsImages < 0) {
            throw new IllegalArgumentException("--stats-images must be >= 0 (0: all), got " + statsImages);
        }
        imageLimit.apply();
        Resolutions.requireUseful(Checkpoint.describedNetwork(model.dir()), testRes, "--test-res");
        DatasetResolver resolver = DatasetResolver.standard();
        ImageDataset images = resolver.resolveImages(data);
        // asked before subsetting: a subset of a plain folder is no longer an UnlabeledImageFolder
        DataSplits labelled = images instanceof io.fixres.data.UnlabeledImageFolder ? null : resolver.resolve(data);
        if (statsImages > 0) {
            images = Subsets.limit(images, statsImages, engine.seed() + 7);
        }
        images = skip.apply(images);
        ImageDataset test = labelled == null ? null
                : skip.apply(limitTest == null ? labelled.test() : Subsets.limit(labelled.test(), limitTest, engine.seed() + 1));
        Output output;
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint.LoadedModel loaded = Checkpoint.load(model.dir(), manager);
            Checkpoint.requireFits(model.dir(), loaded.card(), images);
            if (test != null) {
                Checkpoint.requireFits(model.dir(), loaded.card(), test);
            }
            ResolutionEvaluation evaluation = new ResolutionEvaluation(loaded.net(), loaded.card(), manager, batchSize,
                    engine.threads());
            ResolutionAccuracy before = test == null ? null
                    : evaluation.at(test, testRes, loaded.card().getTestCropRatio(), n -> { });
            System.err.printf("fixres recalibrate: %s trained at %d px, %s BatchNorm statistics at %d px from %d "
                            + "images (labels unread)%n", model.dir(), loaded.card().getTrainResolution(), layers,
                    testRes, images.size());
            Recalibration.Result result = Recalibration.run(loaded.net(), manager, loaded.card(), images, testRes, layers,
                    batchSize, engine.threads(), new TrainingProgressBar("recalibrate"));
            ResolutionAccuracy after = test == null ? null
                    : evaluation.at(test, testRes, loaded.card().getTestCropRatio(), n -> { });
            Checkpoint.save(out, loaded.net(), result.card());
            output = new Output(model.dir().toString(), out.toString(), testRes, layers, result.images(),
                    result.batchNorms(), result.seconds(), before, after);
        }
        skip.report("recalibrate", System.err);
        if (output.before() != null) {
            System.out.printf("top-1 at %d px: %.2f%% before, %.2f%% after recalibrating %s (%+.2f), no label read; %.1f s%n",
                    testRes, output.before().top1(), output.after().top1(), layers,
                    output.after().top1() - output.before().top1(), output.seconds());
        } else {
            System.out.printf("recalibrated %d BatchNorm%s at %d px from %d images in %.1f s (no labelled test split: "
                    + "accuracy not measured)%n", output.batchNorms(), output.batchNorms() == 1 ? "" : "s", testRes,
                    output.images(), output.seconds());
        }
        Json.write(out.resolve(RESULT_FILE), output);
        System.out.println("wrote " + out.resolve(Checkpoint.PARAMS_FILE) + ", " + out.resolve(Checkpoint.CARD_FILE)
                + ", " + out.resolve(RESULT_FILE));
        return 0;
    }
}
