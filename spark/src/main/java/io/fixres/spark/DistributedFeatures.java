package io.fixres.spark;

import ai.djl.ndarray.NDManager;
import io.fixres.core.BatchNormStatistics;
import io.fixres.core.FixResScope;
import io.fixres.core.LastBatchNormMode;
import io.fixres.eval.InferencePass;
import io.fixres.model.CardTransforms;
import io.fixres.model.Checkpoint;
import io.fixres.stats.ChannelMoments;
import io.fixres.train.FeatureCache;
import io.fixres.train.OnePassFineTuner;
import io.fixres.train.TrainingProgress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The feature pass of the one-pass FixRes step, distributed: every partition installs the merged
 * last-BatchNorm statistics, runs the single-machine feature pass
 * ({@link OnePassFineTuner#cacheFeatures}) over its images and emits one row per image. The rows are
 * written as Parquet: {@code position} (the image's place in the split, which orders the classifier
 * fit as on one machine), {@code label}, {@code features} (the pooled features, float32).
 */
public final class DistributedFeatures {
    public static final StructType SCHEMA = new StructType()
            .add("position", DataTypes.IntegerType, false)
            .add("label", DataTypes.IntegerType, false)
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    private DistributedFeatures() {}

    /**
     * Writes the features of {@code images} at K to {@code parquet} (replacing it).
     *
     * @param lastBnStatistics the statistics to install in the last BatchNorm first (null: keep the stored ones, --bn none)
     */
    public static void write(SparkSession spark, ImageSource images, ShippedCheckpoint checkpoint, int k,
                             ChannelMoments lastBnStatistics, JobSettings settings, String parquet) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        var rows = PartitionedImages.of(sc, images.refs(), settings)
                .flatMap(part -> partitionFeatures(images, part, checkpoint, k, lastBnStatistics, settings));
        Dataset<Row> frame = spark.createDataFrame(rows, SCHEMA);
        frame.write().mode(SaveMode.Overwrite).parquet(parquet);
    }

    private static Iterator<Row> partitionFeatures(ImageSource images, List<ImageRef> part, ShippedCheckpoint checkpoint,
                                                   int k, ChannelMoments lastBnStatistics, JobSettings settings) {
        ExecutorEngine.enter(settings);
        List<Row> out = new ArrayList<>(part.size());
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint.LoadedModel loaded = checkpoint.load(manager);
            var net = loaded.net();
            if (lastBnStatistics != null) {
                new BatchNormStatistics(lastBnStatistics).install(net.lastBatchNorm());
            }
            int dim = (int) net.classifierParameters().get(0).getArray().getShape().get(1);
            InferencePass pass = new InferencePass(net.block(), manager, settings.batchSize(), settings.taskCpus());
            // NONE keeps every BatchNorm in inference mode, as OnePassFineTuner's passes do
            try (FixResScope scope = FixResScope.fineTuning(net, LastBatchNormMode.NONE);
                 FeatureCache cache = new FeatureCache(dim, false, Long.MAX_VALUE, null)) {
                OnePassFineTuner.cacheFeatures(net, pass, images.open(part), CardTransforms.test(loaded.card(), k), cache,
                        TrainingProgress.NONE);
                int[] row = {0};
                cache.forEachBatch(settings.batchSize(), null, (features, labels, n) -> {
                    for (int i = 0; i < n; i++) {
                        Float[] f = new Float[dim];
                        for (int c = 0; c < dim; c++) {
                            f[c] = features[i * dim + c];
                        }
                        out.add(RowFactory.create(part.get(row[0]).position(), labels[i], f));
                        row[0]++;
                    }
                });
            }
        }
        return out.iterator();
    }
}
