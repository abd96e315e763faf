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
import io.fixres.model.Checkpoint;
import io.fixres.train.Recalibration;
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
    static final String RESULT_FILE = RecalibrationOptions.RESULT_FILE;

    @Mixin ModelOptions model;
    @Mixin EngineOptions engine;
    @Mixin SkipBadImagesOption skip;
    @Mixin ImageLimitOption imageLimit;

    @Option(names = "--data", paramLabel = "D", defaultValue = "fashion-mnist",
            description = "fashion-mnist (default; its training images), an IDX directory or ImageFolder (training "
                    + "split), or a plain folder of images.")
    String data;

    @Mixin RecalibrationOptions recal;

    /** recalibrate.json: the recalibration, and top-1 at K before/after when the data has labels. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Output(@JsonProperty("model") String model, @JsonProperty("out") String out,
                  @JsonProperty("test_res") int testResolution, @JsonProperty("layers") Recalibration.Layers layers,
                  @JsonProperty("images") long images, @JsonProperty("batch_norms") int batchNorms,
                  @JsonProperty("seconds") double seconds, @JsonProperty("before") ResolutionAccuracy before,
                  @JsonProperty("after") ResolutionAccuracy after) {}

    @Override
    public Integer call() throws Exception {
        recal.check();
        imageLimit.apply();
        Resolutions.requireUseful(Checkpoint.describedNetwork(model.dir()), recal.testRes(), "--test-res");
        DatasetResolver resolver = DatasetResolver.standard();
        ImageDataset images = resolver.resolveImages(data);
        // asked before subsetting: a subset of a plain folder is no longer an UnlabeledImageFolder
        DataSplits labelled = images instanceof io.fixres.data.UnlabeledImageFolder ? null : resolver.resolve(data);
        if (recal.statsImages() > 0) {
            images = Subsets.limit(images, recal.statsImages(), engine.seed() + 7);
        }
        images = skip.apply(images);
        ImageDataset test = labelled == null ? null
                : skip.apply(recal.limitTest() == null ? labelled.test() : Subsets.limit(labelled.test(), recal.limitTest(), engine.seed() + 1));
        Output output;
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint.LoadedModel loaded = Checkpoint.load(model.dir(), manager);
            Checkpoint.requireFits(model.dir(), loaded.card(), images);
            if (test != null) {
                Checkpoint.requireFits(model.dir(), loaded.card(), test);
            }
            ResolutionEvaluation evaluation = new ResolutionEvaluation(loaded.net(), loaded.card(), manager, recal.batchSize(),
                    engine.threads());
            ResolutionAccuracy before = test == null ? null
                    : evaluation.at(test, recal.testRes(), loaded.card().getTestCropRatio(), n -> { });
            System.err.printf("fixres recalibrate: %s trained at %d px, %s BatchNorm statistics at %d px from %d "
                            + "images (labels unread)%n", model.dir(), loaded.card().getTrainResolution(), recal.layers(),
                    recal.testRes(), images.size());
            Recalibration.Result result = Recalibration.run(loaded.net(), manager, loaded.card(), images, recal.testRes(), recal.layers(),
                    recal.batchSize(), engine.threads(), new TrainingProgressBar("recalibrate"));
            ResolutionAccuracy after = test == null ? null
                    : evaluation.at(test, recal.testRes(), loaded.card().getTestCropRatio(), n -> { });
            Checkpoint.save(recal.out(), loaded.net(), result.card());
            output = new Output(model.dir().toString(), recal.out().toString(), recal.testRes(), recal.layers(), result.images(),
                    result.batchNorms(), result.seconds(), before, after);
        }
        skip.report("recalibrate", System.err);
        recal.printSummary(output.before(), output.after(), output.images(), output.batchNorms(), output.seconds());
        recal.writeResult(output);
        return 0;
    }
}
