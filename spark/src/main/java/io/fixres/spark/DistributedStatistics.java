package io.fixres.spark;

import ai.djl.ndarray.NDManager;
import io.fixres.core.BatchNormStatistics;
import io.fixres.model.Checkpoint;
import io.fixres.stats.ChannelMoments;
import io.fixres.train.Recalibration;
import io.fixres.train.TrainingProgress;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The statistics pass of the one-pass FixRes step and of label-free recalibration, distributed:
 * each partition runs the single-machine pass ({@link Recalibration#statistics}) over its images
 * and returns, per target BatchNorm, the per-channel count, mean and sum of squared deviations in
 * double precision ({@link ChannelMoments}); a {@code treeAggregate} merges them with Chan et al.'s
 * update, so the result equals one pass over all images up to rounding (order-independent), and a
 * retried partition recomputes the same moments.
 */
public final class DistributedStatistics {
    /** Depth of the aggregation tree: partitions' moments are merged on executors before the driver's last merge. */
    static final int TREE_DEPTH = 2;

    private DistributedStatistics() {}

    /** Per target BatchNorm ({@link Recalibration#targets} order), the merged moments of its input at K. */
    public static List<ChannelMoments> run(JavaSparkContext sc, ImageSource images, ShippedCheckpoint checkpoint,
                                           int k, Recalibration.Layers layers, JobSettings settings) {
        return PartitionedImages.of(sc, images.refs(), settings)
                .map(part -> partitionMoments(images, part, checkpoint, k, layers, settings))
                .treeAggregate(null, DistributedStatistics::merge, DistributedStatistics::merge, TREE_DEPTH);
    }

    private static List<ChannelMoments> partitionMoments(ImageSource images, List<ImageRef> part,
                                                         ShippedCheckpoint checkpoint, int k,
                                                         Recalibration.Layers layers, JobSettings settings) {
        ExecutorEngine.enter(settings);
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint.LoadedModel loaded = checkpoint.load(manager);
            return Recalibration.statistics(loaded.net(), manager, loaded.card(), images.open(part), k, layers,
                    settings.batchSize(), settings.taskCpus(), TrainingProgress.NONE)
                    .stream().map(BatchNormStatistics::moments).toList();
        }
    }

    /** Merges b into a copy of a (null is the empty aggregate). */
    static List<ChannelMoments> merge(List<ChannelMoments> a, List<ChannelMoments> b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        List<ChannelMoments> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            out.add(a.get(i).copy().merge(b.get(i)));
        }
        return out;
    }
}
