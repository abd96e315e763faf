package io.fixres.cli;

import io.fixres.eval.ResolutionAccuracy;
import io.fixres.eval.ResolutionEvaluation;
import io.fixres.io.AtomicFiles;
import io.fixres.model.ModelCard;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The flags and the printed table of an evaluation at many test resolutions, shared by {@code fixres evaluate} and its Spark twin. */
public final class EvaluationOptions {
    @Option(names = "--test-res", paramLabel = "LIST", required = true, converter = Resolutions.class,
            description = "Test resolutions: 16,20,24 or ranges 16-64:4.")
    List<Integer> testRes;

    @Option(names = "--crop-ratio", paramLabel = "R", description = "Centre-crop ratio (default: the card's, 0.875 = 224/256).")
    Double cropRatio;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "256", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    public List<Integer> testResolutions() { return testRes; }

    public int batchSize() { return batchSize; }

    /** --json, or null. */
    public Path json() { return json; }

    /** Refuses a --json file that cannot be written, before any work. */
    public void checkJson() throws IOException {
        if (json != null) {
            AtomicFiles.requireWritableFile(json);
        }
    }

    /** --crop-ratio, else the card's; either must be in (0, 1]. */
    public double cropRatio(ModelCard card) {
        double ratio = cropRatio != null ? cropRatio : card.getTestCropRatio();
        if (!(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException("--crop-ratio must be in (0, 1], got " + ratio);
        }
        return ratio;
    }

    /** Prints the table of {@code results} and the best resolution; returns the best. */
    public static ResolutionAccuracy printResults(int trainResolution, List<ResolutionAccuracy> results) {
        ResolutionAccuracy best = ResolutionEvaluation.best(results);
        System.out.print(EvaluateCommand.table(trainResolution, results).toText());
        System.out.printf("best: test %d px, top-1 %.2f%% (trained at %d px)%n",
                best.testResolution(), best.top1(), trainResolution);
        return best;
    }
}
