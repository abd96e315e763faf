package io.fixres.examples;

import io.fixres.api.FixResModel;
import io.fixres.data.DataSplits;
import io.fixres.data.DatasetResolver;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.eval.ResolutionEvaluation;
import io.fixres.train.LastBatchNormFineTuner;
import java.nio.file.Path;
import java.util.List;

/**
 * The library without the command line, as docs/library.md shows it: load a checkpoint, find its
 * best test resolution, fix it there, save it. Run it on your own checkpoint and data with
 * {@code java -cp "fixres-core/target/fixres.jar:fixres-core/target/lib/*:fixres-core/target/test-classes" io.fixres.examples.LibraryExample
 * runs/rrc24 fashion-mnist runs/rrc24-fixres 24,28,32}; {@code LibraryExampleTest} runs it in {@code mvn verify}.
 */
public final class LibraryExample {
    private LibraryExample() {}

    public static void main(String[] args) throws Exception {
        List<Integer> resolutions = java.util.Arrays.stream(args[3].split(",")).map(Integer::valueOf).toList();
        System.out.println(fix(Path.of(args[0]), args[1], Path.of(args[2]), resolutions));
    }

    /** Returns the fine-tuning's result; the fixed checkpoint is in {@code out}. */
    public static LastBatchNormFineTuner.Result fix(Path checkpoint, String dataSpec, Path out, List<Integer> resolutions)
            throws Exception {
        DataSplits data = DatasetResolver.standard().resolve(dataSpec);
        try (FixResModel model = FixResModel.load(checkpoint)) {
            List<ResolutionAccuracy> accuracies = model.evaluate(data.test(), resolutions);
            int best = ResolutionEvaluation.best(accuracies).testResolution();
            LastBatchNormFineTuner.Result result = model.fineTune(data, best);
            model.save(out);
            return result;
        }
    }
}
