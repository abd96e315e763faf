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
import io.fixres.report.ProgressBar;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Top-1 at every test resolution of a range (supplement B, Figures 7-8): marks where the final "
                + "feature map grows, reports the accuracy drops just after, and the best stride-aligned resolution.",
            "Writes OUT/result.json, OUT/sweep.csv and OUT/sweep.png (one curve per --model)."})
final class SweepCommand implements Callable<Integer> {
    @Mixin SweepOptions sweep;
    @Mixin DataOptions data;
    @Mixin SkipBadImagesOption skip;
    @Mixin EngineOptions engine;

    /** result.json. */
    record Output(@JsonProperty("data") String data, @JsonProperty("test_images") int testImages,
                  @JsonProperty("models") List<String> models, @JsonProperty("sweeps") List<SweepResult> sweeps) {}

    @Override
    public Integer call() throws Exception {
        List<Integer> resolutions = sweep.resolutions();
        AtomicFiles.requireWritableDirectory(sweep.out());
        List<Path> models = sweep.models();
        for (Path dir : models) { // every model's range, before any data is read or weights loaded
            ResNet net = Checkpoint.describedNetwork(dir);
            Resolutions.requireUseful(net, sweep.from(), "--from");
            Resolutions.requireUseful(net, sweep.to(), "--to");
        }
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
                    ResolutionSweep run = new ResolutionSweep(model.net(), model.card(), open.get(m).getNDManager(),
                            sweep.batchSize(), engine.threads());
                    bar.message(models.get(m).getFileName().toString());
                    sweeps.add(run.run(splits.test(), resolutions, sweep.cropRatio(model.card()), bar::step));
                }
            }
        } finally {
            open.forEach(Model::close);
        }
        skip.report("sweep", System.err);
        sweeps = SweepReport.distinctLabels(sweeps);
        sweeps.forEach(s -> System.out.print(SweepReport.summary(s)));

        sweep.write(new Output(splits.name(), splits.test().size(), models.stream().map(Path::toString).toList(),
                sweeps), sweeps, splits.name(), splits.test().size());
        return 0;
    }
}
