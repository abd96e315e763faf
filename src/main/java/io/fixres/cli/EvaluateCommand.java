package io.fixres.cli;

import ai.djl.Model;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.data.DataSplits;
import io.fixres.activation.AdaptationHooks;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.eval.ResolutionEvaluation;
import io.fixres.model.Checkpoint;
import io.fixres.io.Json;
import io.fixres.report.ProgressBar;
import io.fixres.report.Table;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Top-1/top-5 of a checkpoint at many test resolutions (resize to floor(K/crop-ratio), centre crop K).")
public final class EvaluateCommand implements Callable<Integer> {
    @Mixin ModelOptions model;
    @Mixin DataOptions data;
    @Mixin SkipBadImagesOption skip;
    @Mixin EngineOptions engine;

    @Mixin EvaluationOptions evaluation;

    /** evaluate --json. */
    record Output(@JsonProperty("model") String model, @JsonProperty("train_res") int trainResolution,
                  @JsonProperty("crop_ratio") double cropRatio, @JsonProperty("results") List<ResolutionAccuracy> results,
                  @JsonProperty("skipped_images") List<String> skippedImages, @JsonProperty("best") ResolutionAccuracy best) {}

    @Override
    public Integer call() throws Exception {
        evaluation.checkJson();
        List<Integer> testRes = evaluation.testResolutions();
        try (Model djl = Model.newInstance("fixres")) {
            // everything that can be refused is checked before the data is read and the first image decoded
            Checkpoint.LoadedModel loaded = Checkpoint.load(model.dir(), djl.getNDManager());
            loaded.net().setActivationHook(AdaptationHooks.fromCard(loaded.card())); // adapted checkpoints evaluate adapted
            double ratio = evaluation.cropRatio(loaded.card());
            testRes.forEach(k -> Resolutions.requireUseful(loaded.net(), k, "--test-res"));
            DataSplits splits = skip.apply(data.load(engine.seed()));
            Checkpoint.requireFits(model.dir(), loaded.card(), splits.test());
            ResolutionEvaluation evaluator = new ResolutionEvaluation(loaded.net(), loaded.card(),
                    djl.getNDManager(), evaluation.batchSize(), engine.threads());
            List<ResolutionAccuracy> results;
            try (ProgressBar bar = new ProgressBar("evaluate", (long) splits.test().size() * testRes.size(), "images")) {
                results = evaluator.at(splits.test(), testRes, ratio, bar::step);
            }
            skip.report("evaluate", System.err);
            ResolutionAccuracy best = EvaluationOptions.printResults(loaded.card().getTrainResolution(), results);
            if (evaluation.json() != null) {
                Json.write(evaluation.json(), new Output(model.dir().toString(), loaded.card().getTrainResolution(), ratio, results,
                        skip.skipped(), best));
            }
        }
        return 0;
    }

    public static Table table(int trainRes, List<ResolutionAccuracy> results) {
        Table t = new Table("Accuracy by test resolution (train " + trainRes + " px)", "test res", "top-1", "top-5", "images")
                .numberFormat("%.2f");
        for (ResolutionAccuracy r : results) {
            t.row(String.valueOf(r.testResolution()), r.top1(), r.top5(), String.valueOf(r.images()));
        }
        return t.markBestPerColumn();
    }
}
