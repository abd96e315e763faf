package io.fixres.cli;

import io.fixres.data.DataSplits;
import io.fixres.model.Checkpoint;
import io.fixres.train.FromScratchTraining;
import io.fixres.train.RunDirectory;
import io.fixres.transform.TrainAugmentation;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a classifier from scratch at one resolution.",
            "Writes DIR/model.params (safetensors, torchvision key names), DIR/model.json (the model card) "
                    + "and DIR/metrics.jsonl (one line per epoch)."})
final class TrainCommand implements Callable<Integer> {
    @Mixin DataOptions data;
    @Mixin SkipBadImagesOption skip;
    @Mixin EngineOptions engine;
    @Mixin TrainingOptions training;

    @Option(names = "--train-res", paramLabel = "K", defaultValue = "24", description = "Training resolution K_train (default ${DEFAULT-VALUE}).")
    int trainRes;

    @Option(names = "--train-aug", paramLabel = "AUG", defaultValue = "rrc",
            description = "rrc (RandomResizedCrop, the paper) or resize-crop (resize + random crop, supplement D). Default ${DEFAULT-VALUE}.")
    TrainAugmentation trainAug;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output directory.")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing checkpoint in DIR.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        RunDirectory.checkWritable(out, force);
        FromScratchTraining.Request request = training.request(trainRes, trainAug, engine);
        request.checkTrainResolution();
        DataSplits splits = skip.apply(data.load(engine.seed()));
        System.err.printf("fixres train: %s at %d px (%s) on %s: %d train / %d test images%n",
                training.architecture(), trainRes, trainAug, splits.name(), splits.train().size(), splits.test().size());
        RunDirectory.train(out, request, splits, force, new TrainingProgressBar("train"),
                m -> System.out.println(TrainingProgressBar.summary(m)));
        skip.report("train", System.err);
        System.out.println("wrote " + out.resolve(Checkpoint.PARAMS_FILE) + ", " + out.resolve(Checkpoint.CARD_FILE)
                + ", " + out.resolve(RunDirectory.METRICS_FILE));
        return 0;
    }
}
