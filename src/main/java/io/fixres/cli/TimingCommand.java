package io.fixres.cli;

import ai.djl.Model;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.core.type.TypeReference;
import io.fixres.study.RuntimeTable;
import io.fixres.core.StepTiming;
import io.fixres.model.Architecture;
import io.fixres.model.Checkpoint;
import io.fixres.model.ResNet;
import io.fixres.io.Json;
import io.fixres.report.ProgressBar;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
        List<Integer> testRes = this.testRes != null ? this.testRes : List.of();
        RuntimeTable.Schedule schedule = new RuntimeTable.Schedule(epochs, ftEpochs, images);
        int ftBatch = ftBatchSize != null ? ftBatchSize : 2 * batchSize;
        List<RuntimeTable.AccuracyEntry> accuracies = accuracy == null ? List.of()
                : Json.mapper().readValue(accuracy.toFile(), new TypeReference<List<RuntimeTable.AccuracyEntry>>() { });
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        try (Model djl = Model.newInstance("fixres")) {
            ResNet net = network(djl);
            String setup = String.format(Locale.ROOT, "%s on %s, %s %s, %d threads (%d cores), load average %.2f at start",
                    net.architecture(), djl.getNDManager().getDevice(), Engine.getInstance().getEngineName(),
                    Engine.getInstance().getVersion(), engine.threads(), Runtime.getRuntime().availableProcessors(), load);
            System.out.println(setup);
            StepTiming timing = new StepTiming(net, djl.getNDManager(), warmup, repeats);
            Map<Integer, StepTiming.StepTime> training = new LinkedHashMap<>();
            Map<Integer, StepTiming.StepTime> fineTuning = new LinkedHashMap<>();
            try (ProgressBar bar = new ProgressBar("timing", trainRes.size() + testRes.size(), "runs")) {
                for (int r : trainRes) {
                    bar.message("train " + r + " px");
                    training.put(r, timing.training(r, batchSize));
                    bar.step();
                }
                for (int r : testRes) {
                    bar.message("fine-tune " + r + " px");
                    fineTuning.put(r, timing.fineTuning(r, ftBatch));
                    bar.step();
                }
            }
            List<RuntimeTable.Row> rows = RuntimeTable.rows(training, fineTuning, schedule, accuracies);
            String title = String.format(Locale.ROOT, "Time per batch (train batch %d, fine-tuning batch %d; mean ±std "
                    + "over %d steps after %d warm-up) and total for %d + %d epochs of %,d images",
                    batchSize, ftBatch, repeats, warmup, epochs, ftEpochs, images);
            System.out.print(RuntimeTable.table(title, rows).toText());
            System.out.println("total = epochs x images / batch x (fwd + bwd), training plus fine-tuning; "
                    + "bwd is the gradient computation, without the optimizer update");
            if (json != null) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("setup", setup);
                out.put("architecture", net.architecture());
                out.put("device", djl.getNDManager().getDevice().toString());
                out.put("threads", engine.threads());
                out.put("cores", Runtime.getRuntime().availableProcessors());
                out.put("load_average_at_start", load);
                out.put("warmup", warmup);
                out.put("repeats", repeats);
                out.put("schedule", schedule);
                out.put("training", List.copyOf(training.values()));
                out.put("fine_tuning", List.copyOf(fineTuning.values()));
                out.put("rows", rows);
                Json.write(json, out);
            }
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
