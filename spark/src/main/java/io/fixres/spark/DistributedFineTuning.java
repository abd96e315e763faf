package io.fixres.spark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.fixres.core.BatchNormStatistics;
import io.fixres.core.LastBatchNormMode;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.model.Checkpoint;
import io.fixres.model.ModelCard;
import io.fixres.stats.ChannelMoments;
import io.fixres.train.CheckpointFineTuning;
import io.fixres.train.EpochMetrics;
import io.fixres.train.FeatureCache;
import io.fixres.train.LastBatchNormFineTuner;
import io.fixres.train.LinearClassifierFit;
import io.fixres.train.OnePassFineTuner;
import io.fixres.train.Recalibration;
import io.fixres.train.TrainingProgress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code fixres finetune --method cached} on a cluster, step for step the single-machine
 * {@link OnePassFineTuner}: (1) the last BatchNorm's exact input statistics at K by a distributed
 * statistics pass merged with {@code treeAggregate} ({@link DistributedStatistics}); (2) the pooled
 * features with those statistics by a distributed feature pass, written as Parquet
 * ({@link DistributedFeatures}); (3) the classifier fitted on the driver by {@link LinearClassifierFit},
 * rows in the split's order and the same seed, when the features fit the driver's memory budget;
 * accuracy at K before and after by {@link DistributedEvaluation}.
 */
public final class DistributedFineTuning {
    /** Where the features go, under the output checkpoint directory (or --features). */
    public static final String FEATURES_DIR = "features.parquet";

    private DistributedFineTuning() {}

    /** What the run produced: the report ({@code finetune.json}) and the merged last-BN statistics. */
    public record Outcome(CheckpointFineTuning.Report report, ChannelMoments lastBnStatistics) {}

    /**
     * @param train the fine-tuning images (labelled)
     * @param statsImages the statistics pass's images (train, or a seeded subset of it)
     * @param test the images accuracy is measured on
     * @param features where the Parquet features are written
     * @param driverBudgetBytes the features are fitted on the driver only if they take at most this
     */
    public static Outcome run(SparkSession spark, Path model, ImageSource train, ImageSource statsImages,
                              ImageSource test, LastBatchNormFineTuner.Request request, boolean halfFeatures,
                              String features, long driverBudgetBytes, Path out, JobSettings settings) throws IOException {
        OnePassFineTuner.checkSupported(request);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int k = request.testResolution();
        JobSettings evaluation = settings.withBatchSize(Math.max(256, request.sgd().batchSize())); // as OnePassFineTuner
        ShippedCheckpoint original = ShippedCheckpoint.of(sc, model);
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint.LoadedModel loaded = Checkpoint.load(model, manager);
            loaded.net().checkResolution(k);
            ResolutionAccuracy before = DistributedEvaluation.run(sc, test, original, List.of(k),
                    loaded.card().getTestCropRatio(), false, evaluation).get(0);
            long start = System.nanoTime();
            ChannelMoments statistics = request.bn() == LastBatchNormMode.STATS
                    ? DistributedStatistics.run(sc, statsImages, original, k, Recalibration.Layers.LAST, evaluation).get(0)
                    : null;
            DistributedFeatures.write(spark, train, original, k, statistics, evaluation, features);
            original.release();
            if (statistics != null) {
                new BatchNormStatistics(statistics).install(loaded.net().lastBatchNorm());
            }
            List<EpochMetrics> history = fitOnDriver(spark, loaded, features, request, halfFeatures, driverBudgetBytes);
            double seconds = (System.nanoTime() - start) / 1e9;
            ModelCard provisional = loaded.card();
            Checkpoint.save(out, loaded.net(), provisional);
            ShippedCheckpoint tuned = ShippedCheckpoint.of(sc, out);
            ResolutionAccuracy after = DistributedEvaluation.run(sc, test, tuned, List.of(k),
                    loaded.card().getTestCropRatio(), false, evaluation).get(0);
            tuned.release();
            ModelCard card = LastBatchNormFineTuner.fineTunedCard(loaded.card(), request,
                    ModelCard.FineTuningMethod.CACHED, before, after);
            Checkpoint.save(out, loaded.net(), card);
            CheckpointFineTuning.Report report = new CheckpointFineTuning.Report(ModelCard.FineTuningMethod.CACHED,
                    seconds, model.toString(), out.toString(), card.getTrainResolution(), k, request.bn(),
                    request.augmentation(), request.sgd(), before, after, history, null);
            return new Outcome(report, statistics);
        }
    }

    /** Reads the features back in the split's order and fits the classifier, warm-started, into the network. */
    private static List<EpochMetrics> fitOnDriver(SparkSession spark, Checkpoint.LoadedModel loaded, String features,
                                                  LastBatchNormFineTuner.Request request, boolean half,
                                                  long budgetBytes) {
        var frame = spark.read().parquet(features);
        NDArray weight = loaded.net().classifierParameters().get(0).getArray();
        NDArray bias = loaded.net().classifierParameters().get(1).getArray();
        int dim = (int) weight.getShape().get(1);
        long rows = frame.count();
        long bytes = rows * dim * (half ? 2L : 4L);
        if (bytes > budgetBytes) {
            throw new IllegalStateException(String.format(
                    "the features of %d images (%d x %d, %.1f MiB) do not fit the driver's budget (%.1f MiB, a quarter of "
                            + "its heap), so the classifier was not fitted; they are in %s. Give the driver more memory "
                            + "(spark-submit --driver-memory, or FIXRES_SPARK_JAVA_OPTS=-Xmx... locally), use "
                            + "--half-features, or fit on a subset with --limit-train",
                    rows, rows, dim, bytes / 1048576.0, budgetBytes / 1048576.0, features));
        }
        try (FeatureCache cache = new FeatureCache(dim, half, Long.MAX_VALUE, null)) {
            int[] label = new int[1];
            float[] row = new float[dim];
            java.util.Iterator<Row> rowsInOrder = frame.orderBy("position").toLocalIterator(); // one partition at a time
            while (rowsInOrder.hasNext()) {
                Row r = rowsInOrder.next();
                List<Float> f = r.getList(2);
                for (int c = 0; c < dim; c++) {
                    row[c] = f.get(c);
                }
                label[0] = r.getInt(1);
                cache.add(row, label, 1);
            }
            cache.finish();
            LinearClassifierFit fit = new LinearClassifierFit(weight.toFloatArray(), bias.toFloatArray());
            List<EpochMetrics> history = fit.fit(cache, request.sgd(), TrainingProgress.NONE);
            weight.set(fit.weight());
            bias.set(fit.bias());
            return history;
        }
    }
}
