package io.fixres.cli;

import ai.djl.Model;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.data.DataSplits;
import io.fixres.study.BorderEffects;
import io.fixres.study.ResolutionSuggestion;
import io.fixres.study.ResolutionSweep;
import io.fixres.study.SweepResult;
import io.fixres.model.Checkpoint;
import io.fixres.model.ResNet;
import io.fixres.io.Json;
import io.fixres.report.ProgressBar;
import io.fixres.stats.RandomResizedCropSigma;
import io.fixres.transform.RandomResizedCrop;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "suggest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The test resolution at which objects look as large as during RandomResizedCrop training "
                + "(paper section 3), and its nearest stride-aligned value.",
            "With --model it also measures the best resolution around the prediction and prints both."})
final class SuggestCommand implements Callable<Integer> {
    @Option(names = "--train-res", paramLabel = "K", description = "Training resolution (default: the --model card's).")
    Integer trainRes;

    @Option(names = "--scale", paramLabel = "MIN,MAX", converter = NumberPair.Converter.class, defaultValue = "0.08,1",
            description = "RandomResizedCrop area range (default ${DEFAULT-VALUE}).")
    NumberPair scale;

    @Option(names = "--ratio", paramLabel = "MIN,MAX", converter = NumberPair.Converter.class, defaultValue = "3/4,4/3",
            description = "RandomResizedCrop aspect-ratio range (default ${DEFAULT-VALUE}).")
    NumberPair ratio;

    @Option(names = "--crop-ratio", paramLabel = "R", description = "Test centre-crop ratio (default: the card's, else 0.875).")
    Double cropRatio;

    @Option(names = "--arch", paramLabel = "ARCH", defaultValue = "resnet50",
            description = "Architecture whose total stride aligns the suggestion (default ${DEFAULT-VALUE}, stride 32; "
                    + "resnet-small: 4). Ignored with --model.")
    String arch;

    @Option(names = "--monte-carlo", paramLabel = "N",
            description = "Also estimate E[sigma] from N crops of the real RandomResizedCrop sampler.")
    Integer monteCarlo;

    @Option(names = "--image-side", paramLabel = "S", defaultValue = "1024",
            description = "Side of the square image the Monte Carlo crops (default ${DEFAULT-VALUE}; small sides add pixel rounding).")
    int imageSide;

    @Option(names = "--model", paramLabel = "DIR", description = "Checkpoint to measure the real optimum of (with --data).")
    Path model;

    @Option(names = "--search-strides", paramLabel = "N", defaultValue = "2",
            description = "With --model: measure every resolution from N strides below to N above the predictions (default ${DEFAULT-VALUE}).")
    int searchStrides;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "256", description = "With --model: batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the suggestion (and measurement) as JSON.")
    Path json;

    @Mixin DataOptions data;
    @Mixin EngineOptions engine;

    /** suggest --json: the prediction, the Monte Carlo check and the measurement when they were asked for. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Output(@JsonProperty("suggestion") ResolutionSuggestion suggestion,
                  @JsonProperty("monte_carlo") RandomResizedCropSigma.Estimate monteCarlo,
                  @JsonProperty("monte_carlo_image_side") Integer monteCarloImageSide,
                  @JsonProperty("model") String model,
                  @JsonProperty("measured") SweepResult measured) {}

    @Override
    public Integer call() throws Exception {
        Output out;
        if (model == null) {
            if (trainRes == null) {
                throw new IllegalArgumentException("--train-res is required without --model");
            }
            ResolutionSuggestion s = suggestion(trainRes, cropRatio != null ? cropRatio : 0.875,
                    ResNet.builder().architecture(arch).build().totalStride(), arch);
            RandomResizedCropSigma.Estimate e = monteCarlo(s);
            out = new Output(s, e, e == null ? null : imageSide, null, null);
        } else {
            DataSplits splits = data.load(engine.seed());
            try (Model djl = Model.newInstance("fixres")) {
                Checkpoint.LoadedModel loaded = Checkpoint.load(model, djl.getNDManager());
                ResNet net = loaded.net();
                int k = trainRes != null ? trainRes : loaded.card().getTrainResolution();
                double ratioCrop = cropRatio != null ? cropRatio : loaded.card().getTestCropRatio();
                ResolutionSuggestion s = suggestion(k, ratioCrop, net.totalStride(), net.architecture());
                RandomResizedCropSigma.Estimate e = monteCarlo(s);
                List<Integer> range = s.searchRange(searchStrides, net.minimumUsefulResolution());
                ResolutionSweep sweep = new ResolutionSweep(net, loaded.card(), djl.getNDManager(), batchSize, engine.threads());
                SweepResult measured;
                try (ProgressBar bar = new ProgressBar("measure", ResolutionSweep.imagesToEvaluate(splits.test(), range), "img")) {
                    measured = sweep.run(splits.test(), range, ratioCrop, bar::step);
                }
                printMeasured(s, measured.borderEffects(), range);
                out = new Output(s, e, e == null ? null : imageSide, model.toString(), measured);
            }
        }
        if (json != null) {
            Json.write(json, out);
        }
        return 0;
    }

    private ResolutionSuggestion suggestion(int k, double crop, int stride, String architecture) {
        ResolutionSuggestion s = ResolutionSuggestion.of(k, scale.min(), scale.max(), ratio.min(), ratio.max(), crop, stride);
        System.out.printf(Locale.ROOT, "train %d px, RandomResizedCrop scale (%s, %s) ratio (%.4g, %.4g); "
                        + "test crop ratio %s; %s total stride %d%n",
                k, scale.min(), scale.max(), ratio.min(), ratio.max(), crop, architecture, stride);
        System.out.printf(Locale.ROOT, "E[sigma] closed form (section 3):              %.4f%n", s.expectedSigma());
        System.out.printf(Locale.ROOT, "apparent size ratio r_test/r_train at %d px:   %.3f%n", k, s.sizeRatioAtTrainRes());
        System.out.printf(Locale.ROOT, "equal apparent size at test resolution:        %.1f px -> %d px, stride-aligned %d px%n",
                s.equalisingTestRes(), Math.round(s.equalisingTestRes()), s.alignedTestRes());
        System.out.printf(Locale.ROOT, "same with the sampler's rejected crops:        E[sigma] %.4f -> %.1f px, stride-aligned %d px%n",
                s.expectedSigmaSampled(), s.equalisingTestResSampled(), s.alignedTestResSampled());
        return s;
    }

    private RandomResizedCropSigma.Estimate monteCarlo(ResolutionSuggestion s) {
        if (monteCarlo == null) {
            return null;
        }
        RandomResizedCrop crop = new RandomResizedCrop(s.trainRes(), scale.min(), scale.max(), ratio.min(), ratio.max());
        RandomResizedCropSigma.Estimate e = RandomResizedCropSigma.monteCarlo(crop, imageSide, monteCarlo,
                new SplittableRandom(engine.seed()));
        System.out.printf(Locale.ROOT, "Monte Carlo over RandomResizedCrop.sampleBox:  E[sigma] %.4f ± %.4f "
                        + "(%,d crops of a %d px square image)%n", e.mean(), e.standardError(), e.samples(), imageSide);
        return e;
    }

    private static void printMeasured(ResolutionSuggestion s, BorderEffects measured, List<Integer> range) {
        int best = measured.best().testResolution();
        System.out.printf(Locale.ROOT, "measured over %d-%d px: best %d px (top-1 %.2f%%)", range.get(0),
                range.get(range.size() - 1), best, measured.best().top1());
        if (measured.bestAligned() != null) {
            System.out.printf(Locale.ROOT, ", best stride-aligned %d px (top-1 %.2f%%)",
                    measured.bestAligned().testResolution(), measured.bestAligned().top1());
        }
        System.out.println();
        double off = best - s.equalisingTestRes();
        System.out.printf(Locale.ROOT, "predicted %.1f px, measured %d px: %+.1f px, %s one stride step (%d px)%n",
                s.equalisingTestRes(), best, off, Math.abs(off) <= s.stride() ? "within" : "NOT within", s.stride());
    }
}
