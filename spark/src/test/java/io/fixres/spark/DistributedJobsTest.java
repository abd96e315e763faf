package io.fixres.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.fixres.core.BatchNormStatistics;
import io.fixres.core.LastBatchNormMode;
import io.fixres.data.DataSplits;
import io.fixres.data.DatasetResolver;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.eval.ResolutionEvaluation;
import io.fixres.model.Checkpoint;
import io.fixres.model.ModelCard;
import io.fixres.stats.ChannelMoments;
import io.fixres.testing.TinyDatasets;
import io.fixres.testing.TinyModels;
import io.fixres.train.CheckpointFineTuning;
import io.fixres.train.LastBatchNormFineTuner;
import io.fixres.train.LastBatchNormFineTuner.FineTuneAugmentation;
import io.fixres.train.LearningRateSchedule;
import io.fixres.train.OnePassFineTuner;
import io.fixres.train.Recalibration;
import io.fixres.train.SgdConfig;
import io.fixres.train.TrainingProgress;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distributed jobs against the single-machine library on the same tiny IDX data and
 * checkpoint, in local[2] (with up to 2 attempts per task, so an injected failure is retried).
 */
class DistributedJobsTest {
    private static final int BATCH = 16;
    private static final List<Integer> RESOLUTIONS = List.of(16, 20, 24);
    private static final JobSettings SETTINGS = new JobSettings(BATCH, 3, 1, -1);
    private static final JobSettings FAILING_ONCE = new JobSettings(BATCH, 3, 1, 0); // partition 0 exists in every pass

    @TempDir static Path tmp;
    static SparkSession spark;
    static JavaSparkContext sc;
    static Path model;
    static Path data;
    static DataSplits splits;
    static final java.util.concurrent.atomic.AtomicInteger failedTasks = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        data = TinyDatasets.idxDirectory(tmp.resolve("idx"), 90, 70, 10, 3);
        model = TinyModels.checkpoint(tmp.resolve("model"), 16);
        splits = DatasetResolver.standard().resolve(data.toString());
        spark = SparkSession.builder().master("local[2,2]").appName("fixres-spark tests")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1").getOrCreate();
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        spark.sparkContext().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
                if (!end.taskInfo().successful()) {
                    failedTasks.incrementAndGet();
                }
            }
        });
    }

    /** Runs {@code job} and checks that exactly one task attempt failed meanwhile (the injected one). */
    private static <T> T failingOnce(java.util.concurrent.Callable<T> job) throws Exception {
        int failedBefore = failedTasks.get();
        T result = job.call();
        Thread.sleep(200); // the listener bus is asynchronous
        assertThat(failedTasks.get() - failedBefore).as("failed task attempts").isEqualTo(1);
        return result;
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static ImageSource source(ResolvedImageSource.Split split) {
        return ImageSources.of(data.toString(), split, null, 0);
    }

    private static List<ResolutionAccuracy> singleMachineSweep() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint.LoadedModel loaded = Checkpoint.load(model, manager);
            return new ResolutionEvaluation(loaded.net(), loaded.card(), manager, BATCH, 1)
                    .at(splits.test(), RESOLUTIONS, loaded.card().getTestCropRatio(), n -> { });
        }
    }

    private static List<ResolutionAccuracy> distributedSweep(JobSettings settings) throws Exception {
        ShippedCheckpoint checkpoint = ShippedCheckpoint.of(sc, model);
        try {
            return DistributedEvaluation.run(sc, source(ResolvedImageSource.Split.TEST), checkpoint, RESOLUTIONS, null,
                    false, settings);
        } finally {
            checkpoint.release();
        }
    }

    @Test
    void distributedSweepCountsEqualTheSingleMachineCountsExactly() throws Exception {
        List<ResolutionAccuracy> single = singleMachineSweep();
        List<ResolutionAccuracy> distributed = distributedSweep(SETTINGS);
        assertThat(distributed).extracting(ResolutionAccuracy::images).containsOnly(70L);
        assertThat(distributed).isEqualTo(countsOnly(single));
        assertThat(distributed.stream().map(HitCounts::of).toList())
                .isEqualTo(single.stream().map(HitCounts::of).toList());
    }

    @Test
    void aTaskThatFailsOnceIsRetriedWithoutChangingTheCounts() throws Exception {
        assertThat(failingOnce(() -> distributedSweep(FAILING_ONCE))).isEqualTo(countsOnly(singleMachineSweep()));
    }

    /** The single-machine results without their per-image outcomes: the Spark jobs reduce counts only. */
    private static List<ResolutionAccuracy> countsOnly(List<ResolutionAccuracy> results) {
        return results.stream().map(r -> new ResolutionAccuracy(r.testResolution(), r.top1(), r.top5(), r.images())).toList();
    }

    private static List<BatchNormStatistics> singleMachineStatistics(Recalibration.Layers layers) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint.LoadedModel loaded = Checkpoint.load(model, manager);
            return Recalibration.statistics(loaded.net(), manager, loaded.card(), splits.train(), 20, layers, BATCH, 1,
                    TrainingProgress.NONE);
        }
    }

    private static void assertSameStatistics(List<ChannelMoments> distributed, List<BatchNormStatistics> single) {
        assertThat(distributed).hasSameSizeAs(single);
        for (int i = 0; i < single.size(); i++) {
            BatchNormStatistics d = new BatchNormStatistics(distributed.get(i));
            assertThat(d.count()).isEqualTo(single.get(i).count());
            assertRelativelyClose(d.mean(), single.get(i).mean());
            assertRelativelyClose(d.unbiasedVariance(), single.get(i).unbiasedVariance());
        }
    }

    private static void assertRelativelyClose(double[] actual, double[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int c = 0; c < expected.length; c++) {
            assertThat(actual[c]).as("channel %d", c)
                    .isCloseTo(expected[c], within(1e-5 * Math.max(1e-6, Math.abs(expected[c]))));
        }
    }

    @Test
    void distributedLastBatchNormStatisticsEqualTheSingleMachinePassTo1e5Relative() throws Exception {
        ShippedCheckpoint checkpoint = ShippedCheckpoint.of(sc, model);
        List<ChannelMoments> distributed = DistributedStatistics.run(sc, source(ResolvedImageSource.Split.TRAIN),
                checkpoint, 20, Recalibration.Layers.LAST, SETTINGS);
        int side;
        try (NDManager manager = NDManager.newBaseManager()) {
            side = Checkpoint.load(model, manager).net().featureMapSize(20);
        }
        assertThat(distributed.get(0).count()).isEqualTo(90L * side * side); // every image, every position
        assertSameStatistics(distributed, singleMachineStatistics(Recalibration.Layers.LAST));
    }

    @Test
    void everyBatchNormRecalibratedOnWholeBatchesMatchesTheSingleMachinePassEvenAfterARetry() throws Exception {
        ShippedCheckpoint checkpoint = ShippedCheckpoint.of(sc, model);
        List<ChannelMoments> distributed = failingOnce(() -> DistributedStatistics.run(sc,
                source(ResolvedImageSource.Split.TRAIN), checkpoint, 20, Recalibration.Layers.ALL, FAILING_ONCE));
        List<BatchNormStatistics> single = singleMachineStatistics(Recalibration.Layers.ALL);
        assertThat(single.size()).isGreaterThan(5);
        assertSameStatistics(distributed, single);
    }

    @Test
    void cachedFineTuningOnSparkMatchesTheSingleMachineOnePassStep() throws Exception {
        SgdConfig sgd = new SgdConfig(5, BATCH, 0.05f, 0.9f, 1e-4f, LearningRateSchedule.STEP, 0, 1);
        LastBatchNormFineTuner.Request request = new LastBatchNormFineTuner.Request(20, LastBatchNormMode.STATS,
                FineTuneAugmentation.TEST, sgd);
        Path singleOut = tmp.resolve("single-ft");
        CheckpointFineTuning.Report single = CheckpointFineTuning.run(model, splits, request,
                ModelCard.FineTuningMethod.CACHED, OnePassFineTuner.Options.defaults(), singleOut, 0,
                TrainingProgress.NONE, card -> { });

        Path sparkOut = tmp.resolve("spark-ft");
        String features = tmp.resolve("features.parquet").toString();
        ImageSource train = source(ResolvedImageSource.Split.TRAIN);
        DistributedFineTuning.Outcome outcome = DistributedFineTuning.run(spark, model, train, train,
                source(ResolvedImageSource.Split.TEST), request, false, features, 1L << 30, sparkOut, FAILING_ONCE);
        CheckpointFineTuning.Report distributed = outcome.report();

        assertThat(spark.read().parquet(features).count()).isEqualTo(90);
        assertThat(distributed.before()).isEqualTo(countsOnly(List.of(single.before())).get(0));
        assertThat(distributed.history()).hasSize(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            var a = Checkpoint.load(singleOut, manager).net();
            var b = Checkpoint.load(sparkOut, manager).net();
            float[] meanA = a.lastBatchNorm().runningMean().getArray().toFloatArray();
            float[] meanB = b.lastBatchNorm().runningMean().getArray().toFloatArray();
            float[] varA = a.lastBatchNorm().runningVar().getArray().toFloatArray();
            float[] varB = b.lastBatchNorm().runningVar().getArray().toFloatArray();
            for (int c = 0; c < meanA.length; c++) {
                assertThat(meanB[c]).isCloseTo(meanA[c], within(1e-5f * Math.max(1e-6f, Math.abs(meanA[c]))));
                assertThat(varB[c]).isCloseTo(varA[c], within(1e-5f * Math.max(1e-6f, Math.abs(varA[c]))));
            }
            assertThat(Checkpoint.load(sparkOut, manager).card().getFineTunings()).singleElement()
                    .extracting(ModelCard.FineTuning::method).isEqualTo(ModelCard.FineTuningMethod.CACHED);
        }
        // the classifier is fitted on the same features in the same order: at most one test image in 70 may differ
        assertThat(distributed.after().top1()).isCloseTo(single.after().top1(), within(100.0 / 70 + 1e-9));
    }
}
