package io.fixres.spark;

import ai.djl.ndarray.NDManager;
import io.fixres.core.BatchNormStatistics;
import io.fixres.core.SwitchableBatchNorm;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.model.Checkpoint;
import io.fixres.model.ModelCard;
import io.fixres.stats.ChannelMoments;
import io.fixres.train.Recalibration;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * {@code fixres recalibrate} on a cluster: the BatchNorm statistics at K from a distributed pass
 * ({@link DistributedStatistics}), installed on the driver and saved; top-1 at K before and after
 * on the test images when there are labelled ones.
 */
public final class DistributedRecalibration {
    private DistributedRecalibration() {}

    /** The result (recalibrate.json's fields), the accuracies (null without test images) and the merged moments. */
    public record Outcome(Recalibration.Result result, ResolutionAccuracy before, ResolutionAccuracy after,
                          List<ChannelMoments> statistics) {}

    public static Outcome run(JavaSparkContext sc, Path model, ImageSource images, ImageSource test, int k,
                              Recalibration.Layers layers, Path out, JobSettings settings) throws IOException {
        ShippedCheckpoint original = ShippedCheckpoint.of(sc, model);
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint.LoadedModel loaded = Checkpoint.load(model, manager);
            loaded.net().checkResolution(k);
            double ratio = loaded.card().getTestCropRatio();
            ResolutionAccuracy before = test == null ? null
                    : DistributedEvaluation.run(sc, test, original, List.of(k), ratio, false, settings).get(0);
            long start = System.nanoTime();
            List<ChannelMoments> statistics = DistributedStatistics.run(sc, images, original, k, layers, settings);
            original.release();
            List<SwitchableBatchNorm> targets = Recalibration.targets(loaded.net(), layers);
            for (int i = 0; i < targets.size(); i++) {
                new BatchNormStatistics(statistics.get(i)).install(targets.get(i));
            }
            long count = images.refs().size();
            double seconds = (System.nanoTime() - start) / 1e9;
            ModelCard card = Recalibration.recalibratedCard(loaded.card(), k, layers, count);
            Checkpoint.save(out, loaded.net(), card);
            ResolutionAccuracy after = null;
            if (test != null) {
                ShippedCheckpoint recalibrated = ShippedCheckpoint.of(sc, out);
                after = DistributedEvaluation.run(sc, test, recalibrated, List.of(k), ratio, false, settings).get(0);
                recalibrated.release();
            }
            return new Outcome(new Recalibration.Result(k, layers, count, targets.size(), seconds, card), before, after,
                    statistics);
        }
    }
}
