package io.fixres.cli;

import io.fixres.data.DatasetResolver;
import io.fixres.data.ImageDataset;
import io.fixres.data.UnlabeledImageFolder;
import io.fixres.fix.FixReport;
import io.fixres.fix.FixReportPages;
import io.fixres.fix.ResolutionFix;
import io.fixres.model.Checkpoint;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "fix", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Find the best test resolution of your classifier and fix it for that resolution, in one step:",
            "predict it from the training resolution (apparent object size), probe top-1 on held-out labelled images at "
                + "the training resolution and stride-aligned resolutions around the prediction, fix at the best one "
                + "(one-pass FixRes fine-tuning, or label-free recalibration), measure before/after with 95% paired "
                + "bootstrap intervals and the latency per image.",
            "Writes DIR2/model.params, DIR2/model.json (recommends the resolution, records the fix), DIR2/fix.json, "
                + "DIR2/fix.md and DIR2/fix.html (self-contained, with the accuracy-by-resolution figure)."})
final class FixCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", description = "fixres checkpoint directory (model.params + model.json).")
    Path model;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "torchvision/timm ResNet state dict (.safetensors or .npz) instead of --model; needs --arch.")
    Path weights;

    @Option(names = "--arch", paramLabel = "A", completionCandidates = DescribeCommand.ArchitectureIds.class,
            description = "Architecture of --weights: ${COMPLETION-CANDIDATES}.")
    String arch;

    @Option(names = "--train-res", paramLabel = "K",
            description = "With --weights: the resolution they were trained at (default 224).")
    Integer trainRes;

    @Option(names = "--data", paramLabel = "D", required = true,
            description = "Images to fix on: fashion-mnist, an IDX directory or an ImageFolder (train/ fixes, val/ is "
                    + "held out to probe and measure), or a plain folder of unlabelled images (label-free).")
    String data;

    @Option(names = "--val", paramLabel = "D",
            description = "Labelled held-out images to probe on instead of --data's val split: a folder with one "
                    + "sub-folder per class, or a data set (its val split).")
    String val;

    @Option(names = "--out", paramLabel = "DIR2", required = true, description = "Output directory.")
    Path out;

    @Option(names = "--label-free",
            description = "Recalibrate the last BatchNorm (labels never read) instead of fine-tuning the classifier; "
                    + "implied when --data has no labels.")
    boolean labelFree;

    @Option(names = "--budget-ms", paramLabel = "MS",
            description = "Choose the most accurate resolution whose inference takes at most MS milliseconds per "
                    + "image at batch 1 on this machine.")
    Double budgetMs;

    @Option(names = "--probe", paramLabel = "N", defaultValue = "" + ResolutionFix.DEFAULT_PROBE,
            description = "Probe at most N resolutions, the training one included (default ${DEFAULT-VALUE}).")
    int probe;

    @Option(names = "--held-out", paramLabel = "N", defaultValue = "" + ResolutionFix.DEFAULT_HELD_OUT,
            description = "Probe and measure on a seeded subset of N held-out images (default ${DEFAULT-VALUE}).")
    int heldOut;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "" + ResolutionFix.DEFAULT_BATCH_SIZE,
            description = "Batch size of the passes and of the batched latency (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--export", paramLabel = "FILE",
            description = "Also write the fixed weights as safetensors with torchvision key names (.safetensors).")
    Path export;

    @Option(names = "--force", description = "Overwrite an existing checkpoint in DIR2 and an existing --export file.")
    boolean force;

    @Mixin EngineOptions engine;

    @Override
    public Integer call() throws Exception {
        if ((model == null) == (weights == null)) {
            throw new IllegalArgumentException("give exactly one of --model DIR (a fixres checkpoint) and --weights FILE "
                    + "--arch A (torchvision/timm weights)");
        }
        if (weights != null && arch == null) {
            throw new IllegalArgumentException("--weights needs --arch (the architecture whose keys the file holds)");
        }
        if (model != null && (arch != null || trainRes != null)) {
            throw new IllegalArgumentException("--arch and --train-res go with --weights; --model's card gives them");
        }
        ResolutionFix fix = model != null ? ResolutionFix.ofCheckpoint(model)
                : ResolutionFix.ofWeights(weights, arch, trainRes);
        fix.labelFree(labelFree).budgetMillis(budgetMs).probe(probe).heldOut(heldOut).batchSize(batchSize)
                .seed(engine.seed()).threads(engine.threads()).exportTo(export).overwrite(force);
        fix.validate(out); // before the data are read
        DatasetResolver resolver = DatasetResolver.standard();
        Optional<UnlabeledImageFolder> unlabeled = resolver.unlabeledFolder(data);
        ImageDataset heldOutImages = val != null ? resolver.resolveLabelled(val) : null;
        if (unlabeled.isPresent()) {
            fix.fineTuningImages(unlabeled.get());
            if (heldOutImages == null) {
                System.err.println("fixres fix: " + data + " holds unlabelled images and no --val was given: accuracy "
                        + "cannot be measured, so the apparent-size prediction alone chooses the resolution");
            }
        } else {
            var splits = resolver.resolve(data);
            fix.fineTuningImages(splits.train());
            if (heldOutImages == null) {
                heldOutImages = splits.test();
            }
        }
        FixReport report = fix.heldOutImages(heldOutImages)
                .progress(new TrainingProgressBar("fix"))
                .log(line -> System.err.println("fixres fix: " + line))
                .run(out);
        System.out.println(report.decision());
        System.out.println("wrote " + out.resolve(Checkpoint.PARAMS_FILE) + ", " + out.resolve(Checkpoint.CARD_FILE) + ", "
                + out.resolve(ResolutionFix.REPORT_JSON) + ", " + out.resolve(FixReportPages.MARKDOWN) + ", "
                + out.resolve(FixReportPages.HTML) + (export == null ? "" : ", " + export));
        return 0;
    }
}
