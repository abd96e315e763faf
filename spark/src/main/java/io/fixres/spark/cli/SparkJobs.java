package io.fixres.spark.cli;

import ai.djl.ndarray.NDManager;
import io.fixres.cli.DataOptions;
import io.fixres.cli.EngineOptions;
import io.fixres.cli.Resolutions;
import io.fixres.model.Checkpoint;
import io.fixres.model.ModelCard;
import io.fixres.spark.ImageSource;
import io.fixres.spark.ImageSources;
import io.fixres.spark.ResolvedImageSource.Split;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** What the jobs share: the images the single-machine commands would use, and checks on the driver. */
final class SparkJobs {
    private SparkJobs() {}

    /** The test images of --data, with --limit-test's seeded subset (seed + 1, as DataOptions draws it). */
    static ImageSource test(DataOptions data, EngineOptions engine) {
        return ImageSources.of(data.spec(), Split.TEST, data.limitTest(), engine.seed() + 1);
    }

    /** The training images of --data, with --limit-train's seeded subset (seed, as DataOptions draws it). */
    static ImageSource train(DataOptions data, EngineOptions engine) {
        return ImageSources.of(data.spec(), Split.TRAIN, data.limitTrain(), engine.seed());
    }

    static ModelCard card(Path dir) throws IOException {
        return ModelCard.read(dir.resolve(Checkpoint.CARD_FILE));
    }

    /** Loads the checkpoint on the driver (refusing a card that does not match) and checks every resolution. */
    static void checkResolutions(Path dir, List<Integer> resolutions, String flag) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint.LoadedModel loaded = Checkpoint.load(dir, manager);
            resolutions.forEach(k -> Resolutions.requireUseful(loaded.net(), k, flag));
        }
    }
}
