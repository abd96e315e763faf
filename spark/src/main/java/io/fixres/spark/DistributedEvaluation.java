package io.fixres.spark;

import ai.djl.ndarray.NDManager;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.eval.ResolutionEvaluation;
import io.fixres.model.Checkpoint;
import io.fixres.activation.AdaptationHooks;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Top-1/top-5 at many test resolutions over images partitioned across the cluster ({@code fixres
 * evaluate} and {@code fixres sweep}): each partition loads the checkpoint once and evaluates its
 * images at every requested resolution with the single-machine {@link ResolutionEvaluation}; the
 * driver sums the exact hit counts.
 */
public final class DistributedEvaluation {
    private DistributedEvaluation() {}

    /**
     * @param cropRatio the centre-crop ratio, or null for the card's
     * @param adapted evaluate with the card's activation adaptation installed, as {@code fixres evaluate} does
     */
    public static List<ResolutionAccuracy> run(JavaSparkContext sc, ImageSource images, ShippedCheckpoint checkpoint,
                                               List<Integer> resolutions, Double cropRatio, boolean adapted,
                                               JobSettings settings) {
        if (resolutions.isEmpty()) {
            throw new IllegalArgumentException("no test resolutions to evaluate");
        }
        if (!images.labelled()) {
            throw new IllegalArgumentException("accuracy needs labelled images; " + images.name() + " has no classes");
        }
        List<Integer> ks = List.copyOf(resolutions);
        List<HitCounts> zero = ks.stream().map(k -> new HitCounts(k, 0, 0, 0)).toList();
        List<HitCounts> total = PartitionedImages.of(sc, images.refs(), settings)
                .map(part -> evaluatePartition(images, part, checkpoint, ks, cropRatio, adapted, settings))
                .treeAggregate(zero, DistributedEvaluation::add, DistributedEvaluation::add);
        return total.stream().map(HitCounts::accuracy).toList();
    }

    private static List<HitCounts> evaluatePartition(ImageSource images, List<ImageRef> part,
                                                     ShippedCheckpoint checkpoint, List<Integer> ks, Double cropRatio,
                                                     boolean adapted, JobSettings settings) {
        ExecutorEngine.enter(settings);
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint.LoadedModel loaded = checkpoint.load(manager);
            if (adapted) {
                loaded.net().setActivationHook(AdaptationHooks.fromCard(loaded.card()));
            }
            double ratio = cropRatio != null ? cropRatio : loaded.card().getTestCropRatio();
            ResolutionEvaluation evaluation = new ResolutionEvaluation(loaded.net(), loaded.card(), manager,
                    settings.batchSize(), settings.taskCpus());
            return evaluation.at(images.open(part), ks, ratio, n -> { }).stream().map(HitCounts::of).toList();
        }
    }

    private static List<HitCounts> add(List<HitCounts> a, List<HitCounts> b) {
        List<HitCounts> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            out.add(a.get(i).plus(b.get(i)));
        }
        return out;
    }
}
