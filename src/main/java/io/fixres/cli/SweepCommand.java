package io.fixres.cli;

import ai.djl.Model;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.data.DataSplits;
import io.fixres.study.ResolutionSweep;
import io.fixres.study.SweepReport;
import io.fixres.study.SweepResult;
import io.fixres.model.Checkpoint;
import io.fixres.model.ResNet;
import io.fixres.io.AtomicFiles;
import io.fixres.io.Json;
import io.fixres.report.ProgressBar;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Top-1 at every test resolution of a range (supplement B, Figures 7-8): marks where the final "
                + "feature map grows, reports the accuracy drops just after, and the best stride-aligned resolution.",
            "Writes OUT/result.json, OUT/sweep.csv and OUT/sweep.png (one curve per --model)."})
final class SweepCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "Checkpoint directory; repeat to draw several models on one plot (legend from each card).")
    List<Path> models;

    @Mixin DataOptions data;
    @Mixin SkipBadImagesOption skip;
    @Mixin EngineOptions engine;

    @Option(names = "--from", paramLabel = "K", defaultValue = "16", description = "First test resolution (default ${DEFAULT-VALUE}).")
    int from;

    @Option(names = "--to", paramLabel = "K", defaultValue = "64", description = "Last test resolution (default ${DEFAULT-VALUE}).")
    int to;

    @Option(names = "--step", paramLabel = "S", defaultValue = "1",
            description = "Step in pixels (default ${DEFAULT-VALUE}; drops are only seen with 1).")
    int step;

    @Option(names = "--crop-ratio", paramLabel = "R", description = "Centre-crop ratio (default: each card's, 0.875 = 224/256).")
    Double cropRatio;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "256", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--title", paramLabel = "T", description = "Plot title (default: names the dataset and range).")
    String title;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Output directory.")
    Path out;

    /** result.json. */
    record Output(@JsonProperty("data") String data, @JsonProperty("test_images") int testImages,
                  @JsonProperty("models") List<String> models, @JsonProperty("sweeps") List<SweepResult> sweeps) {}

    @Override
    public Integer call() throws Exception {
        if (from < 1 || to < from || step < 1) {
            throw new IllegalArgumentException("--from, --to and --step must satisfy 1 <= --from <= --to and --step >= 1, "
                    + "got --from " + from + ", --to " + to + ", --step " + step);
        }
        if (cropRatio != null && !(cropRatio > 0 && cropRatio <= 1)) {
            throw new IllegalArgumentException("--crop-ratio must be in (0, 1], got " + cropRatio);
        }
        AtomicFiles.requireWritableDirectory(out);
        for (Path dir : models) { // every model's range, before any data is read or weights loaded
            ResNet net = Checkpoint.describedNetwork(dir);
            Resolutions.requireUseful(net, from, "--from");
            Resolutions.requireUseful(net, to, "--to");
        }
        List<Integer> resolutions = ResolutionSweep.range(from, to, step);
        DataSplits splits = skip.apply(data.load(engine.seed()));
        List<SweepResult> sweeps = new ArrayList<>();
        List<Model> open = new ArrayList<>();
        try {
            // every checkpoint is loaded (weights checked) and matched to the data before the first sweep starts
            List<Checkpoint.LoadedModel> loaded = new ArrayList<>();
            for (Path dir : models) {
                Model djl = Model.newInstance("fixres");
                open.add(djl);
                Checkpoint.LoadedModel model = Checkpoint.load(dir, djl.getNDManager());
                Checkpoint.requireFits(dir, model.card(), splits.test());
                loaded.add(model);
            }
            long total = ResolutionSweep.imagesToEvaluate(splits.test(), resolutions) * models.size();
            try (ProgressBar bar = new ProgressBar("sweep", total, "img")) {
                for (int m = 0; m < models.size(); m++) {
                    Checkpoint.LoadedModel model = loaded.get(m);
                    double ratio = cropRatio != null ? cropRatio : model.card().getTestCropRatio();
                    ResolutionSweep sweep = new ResolutionSweep(model.net(), model.card(), open.get(m).getNDManager(),
                            batchSize, engine.threads());
                    bar.message(models.get(m).getFileName().toString());
                    sweeps.add(sweep.run(splits.test(), resolutions, ratio, bar::step));
                }
            }
        } finally {
            open.forEach(Model::close);
        }
        skip.report("sweep", System.err);
        sweeps = SweepReport.distinctLabels(sweeps);
        sweeps.forEach(s -> System.out.print(SweepReport.summary(s)));

        Output result = new Output(splits.name(), splits.test().size(), models.stream().map(Path::toString).toList(),
                sweeps);
        Path json = out.resolve("result.json");
        Path csv = out.resolve("sweep.csv");
        Path png = out.resolve("sweep.png");
        Json.write(json, result);
        AtomicFiles.writeString(csv, SweepReport.table(sweeps).toCsv());
        String plotTitle = title != null ? title : String.format("Top-1 by test resolution, %d-%d px by %d (%s, %d test images)",
                from, to, step, splits.name(), splits.test().size());
        SweepReport.plot(sweeps, plotTitle).writePng(png, 1000, 560);
        System.out.println("wrote " + json + ", " + csv + ", " + png);
        return 0;
    }
}
