package io.fixres.cli;

import ai.djl.Model;
import com.fasterxml.jackson.core.type.TypeReference;
import io.fixres.study.RuntimeTable;
import io.fixres.study.StudyProgress;
import io.fixres.study.TimingStudy;
import io.fixres.model.Architecture;
import io.fixres.model.Checkpoint;
import io.fixres.model.ResNet;
import io.fixres.io.Json;
import io.fixres.report.ProgressBar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "timing", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Forward and backward time per batch for training at each --train-res and for the FixRes "
                + "fine-tuning at each --test-res, and the projected total time of a schedule (supplement Table 7).",
            "Runs on random inputs; states the device and thread count."})
final class TimingCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "M", defaultValue = "resnet-small",
            description = "An architecture (resnet-small, resnet18, resnet34, resnet50, resnet101; random weights) "
                    + "or a checkpoint directory. Default ${DEFAULT-VALUE}.")
    String model;

    @Option(names = "--classes", paramLabel = "N", description = "Classes for an architecture (default 10 for resnet-small, else 1000).")
    Integer classes;

    @Option(names = "--channels", paramLabel = "C", description = "Input channels for an architecture (default 1 for resnet-small, else 3).")
    Integer channels;

    @Option(names = "--train-res", paramLabel = "LIST", required = true, converter = Resolutions.class,
            description = "Training resolutions: 128,224 or ranges 16-32:8.")
    List<Integer> trainRes;

    @Option(names = "--test-res", paramLabel = "LIST", converter = Resolutions.class,
            description = "Test resolutions to fine-tune at (FixRes rows); none by default.")
    List<Integer> testRes;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "32", description = "Training batch size (default ${DEFAULT-VALUE}, as Table 7).")
    int batchSize;

    @Option(names = "--ft-batch-size", paramLabel = "B", description = "Fine-tuning batch size (default: twice --batch-size, as Table 7).")
    Integer ftBatchSize;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "3", description = "Untimed steps before each measurement (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "10", description = "Timed steps per measurement (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "120", description = "Training epochs for the total (default ${DEFAULT-VALUE}, as Table 7).")
    int epochs;

    @Option(names = "--ft-epochs", paramLabel = "E", defaultValue = "60", description = "Fine-tuning epochs for the total (default ${DEFAULT-VALUE}, as Table 7).")
    int ftEpochs;

    @Option(names = "--images", paramLabel = "N", defaultValue = "1281167",
            description = "Images per epoch for the total (default ${DEFAULT-VALUE}, ImageNet; Fashion-MNIST: 60000).")
    long images;

    @Option(names = "--accuracy", paramLabel = "FILE",
            description = "JSON list of {\"train_res\", \"test_res\", \"finetuned\", \"top1\"} to fill the accuracy column.")
    Path accuracy;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the measurements and the table as JSON.")
    Path json;

    @Mixin EngineOptions engine;

    @Override
    public Integer call() throws Exception {
        List<RuntimeTable.AccuracyEntry> accuracies = accuracy == null ? List.of()
                : Json.mapper().readValue(accuracy.toFile(), new TypeReference<List<RuntimeTable.AccuracyEntry>>() { });
        TimingStudy.Request request = new TimingStudy.Request(trainRes, testRes != null ? testRes : List.of(), batchSize,
                ftBatchSize != null ? ftBatchSize : 2 * batchSize, warmup, repeats,
                new RuntimeTable.Schedule(epochs, ftEpochs, images), accuracies);
        TimingStudy.Result result;
        try (Model djl = Model.newInstance("fixres")) {
            ResNet net = network(djl);
            int steps = request.trainResolutions().size() + request.fineTuneResolutions().size();
            try (ProgressBar bar = new ProgressBar("timing", steps, "runs")) {
                result = TimingStudy.run(net, net.architecture(), djl.getNDManager(), request, engine.threads(),
                        new StudyProgress() {
                            @Override
                            public void stepStarted(int step, int total, String description, boolean cached) {
                                if (step > 1) {
                                    bar.step();
                                }
                                bar.message(description);
                            }
                        });
                bar.step();
            }
        }
        System.out.println(result.setup());
        System.out.print(result.table().toText());
        System.out.println("total = epochs x images / batch x (fwd + bwd), training plus fine-tuning; "
                + "bwd is the gradient computation, without the optimizer update");
        if (json != null) {
            Json.write(json, result);
        }
        return 0;
    }

    /** A checkpoint's network, or a freshly initialised one of the named architecture. */
    private ResNet network(Model djl) throws java.io.IOException {
        Path dir = Path.of(model);
        if (Files.isDirectory(dir)) {
            if (classes != null || channels != null) {
                throw new IllegalArgumentException("--classes and --channels apply to an architecture, not to the checkpoint " + dir);
            }
            return Checkpoint.load(dir, djl.getNDManager()).net();
        }
        Architecture architecture;
        try {
            architecture = Architecture.fromId(model);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--model " + model + " is neither a checkpoint directory nor an architecture "
                    + Architecture.ids());
        }
        boolean small = architecture == Architecture.RESNET_SMALL;
        ResNet net = ResNet.builder()
                .architecture(architecture)
                .numClasses(classes != null ? classes : small ? 10 : 1000)
                .inputChannels(channels != null ? channels : small ? 1 : 3)
                .build();
        net.initialize(djl.getNDManager(), Collections.min(trainRes));
        return net;
    }
}
