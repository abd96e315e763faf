package io.fixres.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.fixres.core.ActivationHook;
import io.fixres.core.BatchNormMode;
import io.fixres.core.BatchNormStatistics;
import io.fixres.core.FixResScope;
import io.fixres.core.LastBatchNormMode;
import io.fixres.data.DataSplits;
import io.fixres.eval.InferencePass;
import io.fixres.model.CardTransforms;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import io.fixres.testing.TinyData;
import io.fixres.train.LastBatchNormFineTuner.FineTuneAugmentation;
import io.fixres.transform.Transform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OnePassFineTunerTest {
    private static final int K = 20;
    private static final DataSplits DATA = TinyData.splits(40, 12);

    private Model model;
    private ResNet net;
    private ModelCard card;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(11);
        model = Model.newInstance("one-pass");
        net = TinyData.network(model);
        card = TinyData.card(net);
        // non-default running statistics everywhere, as a trained network has
        try (NDManager batch = model.getNDManager().newSubManager()) {
            net.forward(new ParameterStore(batch, false), new NDList(batch.randomNormal(new Shape(8, 1, 16, 16))), true);
        }
    }

    @AfterEach
    void tearDown() {
        model.close();
    }

    private Map<String, float[]> snapshot() {
        Map<String, float[]> values = new LinkedHashMap<>();
        net.stateDict().forEach((key, p) -> values.put(key, p.getArray().toFloatArray()));
        return values;
    }

    private List<String> changedSince(Map<String, float[]> before) {
        Map<String, float[]> after = snapshot();
        return before.keySet().stream().filter(k -> !Arrays.equals(before.get(k), after.get(k))).toList();
    }

    private InferencePass pass(int batchSize) {
        return new InferencePass(net, model.getNDManager(), batchSize, 2);
    }

    /** Every value the last BatchNorm sees in one inference pass of the training images at K, per channel. */
    private double[][] directLastBatchNormInputs() {
        int c = net.lastBatchNorm().channels();
        List<List<Double>> values = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            values.add(new ArrayList<>());
        }
        net.lastBatchNorm().setInputObserver(x -> {
            float[] v = x.toFloatArray();
            long spatial = x.getShape().get(2) * x.getShape().get(3);
            for (int i = 0; i < v.length; i++) {
                values.get((int) ((i / spatial) % c)).add((double) v[i]);
            }
        });
        try (FixResScope scope = FixResScope.inference(net)) {
            pass(7).run(DATA.train(), CardTransforms.test(card, K), (l, b) -> { }, n -> { });
        } finally {
            net.lastBatchNorm().setInputObserver(null);
        }
        return values.stream().map(l -> l.stream().mapToDouble(Double::doubleValue).toArray()).toArray(double[][]::new);
    }

    @Test
    void theStatisticsPassInstallsTheExactMeanAndVarianceOverEveryPositionAndChangesNothingElse() {
        double[][] direct = directLastBatchNormInputs();
        Map<String, float[]> before = snapshot();
        try (FixResScope scope = FixResScope.inference(net)) {
            // another batch size than the direct pass: the result must not depend on it
            OnePassFineTuner.statisticsPass(net, pass(16), DATA.train(), CardTransforms.test(card, K), null,
                    TrainingProgress.NONE).install(net.lastBatchNorm());
        }
        float[] mean = net.lastBatchNorm().runningMean().getArray().toFloatArray();
        float[] var = net.lastBatchNorm().runningVar().getArray().toFloatArray();
        for (int c = 0; c < direct.length; c++) {
            double m = Arrays.stream(direct[c]).average().orElseThrow();
            double ss = Arrays.stream(direct[c]).map(v -> (v - m) * (v - m)).sum();
            double unbiased = ss / (direct[c].length - 1);
            assertThat((double) mean[c]).as("mean of channel %d", c).isCloseTo(m, within(1e-5 * Math.max(1, Math.abs(m))));
            assertThat((double) var[c]).as("variance of channel %d", c).isCloseTo(unbiased, within(1e-5 * unbiased));
        }
        assertThat(direct[0]).hasSize(40 * 5 * 5); // 40 images, a 5x5 final map at 20 px
        String last = net.lastBatchNormName();
        assertThat(changedSince(before)).containsExactlyInAnyOrder(last + ".running_mean", last + ".running_var");
        assertThat(net.batchNorms().values()).allMatch(bn -> bn.getMode() == BatchNormMode.FOLLOW);
    }

    @Test
    void batchStatisticsDoNotDependOnHowTheValuesAreSplitIntoBatches() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray all = m.randomNormal(2f, 3f, new Shape(12, 4, 3, 5), ai.djl.ndarray.types.DataType.FLOAT32);
            BatchNormStatistics whole = new BatchNormStatistics(4);
            whole.accept(all);
            BatchNormStatistics parts = new BatchNormStatistics(4);
            parts.accept(all.get("0:5"));
            parts.accept(all.get("5:6"));
            parts.accept(all.get("6:"));
            assertThat(parts.count()).isEqualTo(12 * 15);
            assertThat(parts.mean()).containsExactly(whole.mean(), within(1e-12));
            assertThat(parts.unbiasedVariance()).containsExactly(whole.unbiasedVariance(), within(1e-12));
            float[] v = all.toFloatArray();
            double sum = 0;
            for (int n = 0; n < 12; n++) {
                for (int s = 0; s < 15; s++) {
                    sum += v[(n * 4 + 2) * 15 + s];
                }
            }
            assertThat(whole.mean()[2]).isCloseTo(sum / 180, within(1e-12));
        }
    }

    @Test
    void cachedFeaturesEqualTheFeaturesOfADirectForwardPass() {
        Transform test = CardTransforms.test(card, K);
        List<float[]> direct = new ArrayList<>();
        ActivationHook tap = new ActivationHook() {
            @Override
            public NDArray pooled(NDArray features) {
                direct.add(features.toFloatArray());
                return features;
            }
        };
        try (FixResScope scope = FixResScope.inference(net)) {
            net.setActivationHook(tap);
            pass(9).run(DATA.train(), test, (l, b) -> { }, n -> { });
            net.setActivationHook(ActivationHook.IDENTITY);
            try (FeatureCache cache = new FeatureCache(net.featureDim(), false, Long.MAX_VALUE, null)) {
                OnePassFineTuner.cacheFeatures(net, pass(16), DATA.train(), test, cache, TrainingProgress.NONE);
                assertThat(cache.rows()).isEqualTo(40);
                float[] cached = new float[40 * net.featureDim()];
                int[] offset = {0};
                int[] labels = new int[40];
                cache.forEachBatch(40, null, (x, y, n) -> {
                    System.arraycopy(x, 0, cached, offset[0], x.length);
                    System.arraycopy(y, 0, labels, offset[0] / net.featureDim(), n);
                    offset[0] += x.length;
                });
                float[] expected = new float[cached.length];
                int at = 0;
                for (float[] batch : direct) {
                    System.arraycopy(batch, 0, expected, at, batch.length);
                    at += batch.length;
                }
                assertThat(cached).containsExactly(expected);
                for (int i = 0; i < 40; i++) {
                    assertThat(labels[i]).isEqualTo(i % TinyData.CLASSES);
                }
            }
        }
        assertThat(net.getActivationHook()).isSameAs(ActivationHook.IDENTITY);
    }

    @Test
    void theSinglePassFeaturesEqualADirectForwardWithTheNewStatistics() {
        Transform test = CardTransforms.test(card, K);
        float[] oldMean = net.lastBatchNorm().runningMean().getArray().toFloatArray();
        float[] oldVar = net.lastBatchNorm().runningVar().getArray().toFloatArray();
        try (FixResScope scope = FixResScope.inference(net);
             FeatureCache fromCapture = new FeatureCache(net.featureDim(), false, Long.MAX_VALUE, null);
             FeatureCache direct = new FeatureCache(net.featureDim(), false, Long.MAX_VALUE, null)) {
            LastBlockCapture capture = new LastBlockCapture(Long.MAX_VALUE);
            OnePassFineTuner.statisticsPass(net, pass(16), DATA.train(), test, capture, TrainingProgress.NONE)
                    .install(net.lastBatchNorm());
            assertThat(capture.complete()).isTrue();
            capture.features(net.lastBatchNorm(), oldMean, oldVar, fromCapture);
            OnePassFineTuner.cacheFeatures(net, pass(16), DATA.train(), test, direct, TrainingProgress.NONE);
            float[][] a = rows(fromCapture);
            float[][] b = rows(direct);
            assertThat(a[1]).isEqualTo(b[1]); // labels, in the same order
            for (int i = 0; i < a[0].length; i++) {
                assertThat(a[0][i]).as("feature %d", i).isCloseTo(b[0][i], within(2e-5f + 2e-5f * Math.abs(b[0][i])));
            }
        }
        assertThat(net.getActivationHook()).isSameAs(ActivationHook.IDENTITY);
    }

    @Test
    void theCaptureGivesUpPastItsBudgetAndTheStepFallsBackToAFeaturePass() {
        LastBlockCapture capture = new LastBlockCapture(1000);
        try (FixResScope scope = FixResScope.inference(net)) {
            OnePassFineTuner.statisticsPass(net, pass(16), DATA.train(), CardTransforms.test(card, K), capture,
                    TrainingProgress.NONE);
        }
        assertThat(capture.complete()).isFalse();
        SgdConfig sgd = new SgdConfig(2, 8, 0.05f, 0.9f, 1e-4f, LearningRateSchedule.CONSTANT, 3, 2);
        LastBatchNormFineTuner.Result result = OnePassFineTuner.run(net, model.getNDManager(), card, DATA,
                new LastBatchNormFineTuner.Request(K, LastBatchNormMode.STATS, FineTuneAugmentation.TEST, sgd),
                new OnePassFineTuner.Options(0, false, 1000, null), TrainingProgress.NONE, null);
        assertThat(result.history()).hasSize(2).allSatisfy(e -> assertThat(e.images()).isEqualTo(40));
    }

    @Test
    void thePlainJavaClassifierFitIsDjlsSgdOnTheLinearLayer() {
        int c = net.featureDim();
        float[] w0 = net.classifierParameters().get(0).getArray().toFloatArray();
        float[] b0 = net.classifierParameters().get(1).getArray().toFloatArray();
        SgdConfig sgd = new SgdConfig(2, 16, 0.05f, 0.9f, 1e-3f, LearningRateSchedule.STEP, 4, 1);
        try (FeatureCache cache = new FeatureCache(c, false, Long.MAX_VALUE, null)) {
            SplittableRandom random = new SplittableRandom(2);
            float[] x = new float[40 * c];
            int[] y = new int[40];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextDouble(0, 2);
            }
            for (int i = 0; i < 40; i++) {
                y[i] = i % TinyData.CLASSES;
            }
            cache.add(x, y, 40);
            cache.finish();
            LinearClassifierFit fit = new LinearClassifierFit(w0, b0);
            fit.fit(cache, sgd, TrainingProgress.NONE);

            // the same batches through DJL's SGD on the network's own Linear layer
            var tracker = sgd.schedule().tracker(sgd.learningRate(), 3 * 2);
            var optimizer = ai.djl.training.optimizer.Optimizer.sgd().setLearningRateTracker(tracker)
                    .optMomentum(sgd.momentum()).optWeightDecays(sgd.weightDecay()).build();
            SplittableRandom order = new SplittableRandom(sgd.seed());
            try (FixResScope scope = FixResScope.fineTuning(net, LastBatchNormMode.NONE);
                 io.fixres.core.TrainingStep step = new io.fixres.core.TrainingStep(net.classifier(),
                         model.getNDManager(), optimizer)) {
                for (int epoch = 0; epoch < 2; epoch++) {
                    cache.forEachBatch(16, order.split(), (f, l, n) -> {
                        try (NDManager m = model.getNDManager().newSubManager()) {
                            long[] labels = new long[n];
                            for (int i = 0; i < n; i++) {
                                labels[i] = l[i];
                            }
                            step.run(m.create(f, new Shape(n, c)), m.create(labels));
                        }
                    });
                }
            }
            float[] djlWeight = net.classifierParameters().get(0).getArray().toFloatArray();
            float[] javaWeight = fit.weight();
            for (int i = 0; i < djlWeight.length; i++) {
                assertThat(javaWeight[i]).as("weight %d", i).isCloseTo(djlWeight[i], within(1e-5f));
            }
            assertThat(fit.bias()).containsExactly(net.classifierParameters().get(1).getArray().toFloatArray(),
                    within(1e-5f));
            assertThat(javaWeight).isNotEqualTo(w0);
        }
    }

    private static float[][] rows(FeatureCache cache) {
        List<Float> values = new ArrayList<>();
        List<Float> labels = new ArrayList<>();
        cache.forEachBatch(1000, null, (x, y, n) -> {
            for (float v : x) {
                values.add(v);
            }
            for (int i = 0; i < n; i++) {
                labels.add((float) y[i]);
            }
        });
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        float[] l = new float[labels.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = labels.get(i);
        }
        return new float[][] {v, l};
    }

    @Test
    void theOnePassStepTrainsOnlyTheClassifierAndTheLastBatchNormStatisticsAndRecordsItsMethod() {
        Map<String, float[]> before = snapshot();
        SgdConfig sgd = new SgdConfig(5, 8, 0.05f, 0.9f, 1e-4f, LearningRateSchedule.CONSTANT, 3, 2);
        LastBatchNormFineTuner.Result result = OnePassFineTuner.run(net, model.getNDManager(), card, DATA,
                new LastBatchNormFineTuner.Request(K, LastBatchNormMode.STATS, FineTuneAugmentation.TEST, sgd),
                OnePassFineTuner.Options.defaults(), TrainingProgress.NONE, null);
        String last = net.lastBatchNormName();
        assertThat(changedSince(before)).containsExactlyInAnyOrder(last + ".running_mean", last + ".running_var",
                "fc.weight", "fc.bias");
        assertThat(result.history()).hasSize(5).allSatisfy(e -> assertThat(e.images()).isEqualTo(40));
        assertThat(result.after().images()).isEqualTo(12);
        ModelCard.FineTuning recorded = result.card().getFineTunings().get(0);
        assertThat(recorded.method()).isEqualTo(ModelCard.FineTuningMethod.CACHED);
        assertThat(recorded.epochs()).isEqualTo(5);
        assertThat(net.batchNorms().values()).allMatch(bn -> bn.getMode() == BatchNormMode.FOLLOW);
        assertThat(net.classifierParameters()).allMatch(p -> p.requiresGradient());
    }

    @Test
    void halfPrecisionAndSpilledChunksGiveBackTheSameRowsInTheSameShuffledOrder() throws Exception {
        java.nio.file.Path spill = java.nio.file.Files.createTempDirectory("features");
        int channels = 3;
        int rows = FeatureCache.CHUNK_ROWS + 10;
        float[] x = new float[rows * channels];
        int[] y = new int[rows];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-4, 4);
        }
        for (int i = 0; i < rows; i++) {
            y[i] = i;
        }
        try (FeatureCache memory = new FeatureCache(channels, false, Long.MAX_VALUE, null);
             FeatureCache spilled = new FeatureCache(channels, false, 0, spill);
             FeatureCache half = new FeatureCache(channels, true, Long.MAX_VALUE, null)) {
            for (FeatureCache c : List.of(memory, spilled, half)) {
                c.add(x, y, rows);
                c.finish();
            }
            assertThat(spilled.spilledChunks()).isEqualTo(2);
            List<Integer> memoryOrder = new ArrayList<>();
            List<Integer> spilledOrder = new ArrayList<>();
            memory.forEachBatch(100, new SplittableRandom(5), (f, l, n) -> {
                for (int i = 0; i < n; i++) {
                    memoryOrder.add(l[i]);
                    assertThat(f[i * channels]).isEqualTo(x[l[i] * channels]);
                }
            });
            spilled.forEachBatch(100, new SplittableRandom(5), (f, l, n) -> {
                for (int i = 0; i < n; i++) {
                    spilledOrder.add(l[i]);
                    assertThat(f[i * channels + 2]).isEqualTo(x[l[i] * channels + 2]);
                }
            });
            assertThat(spilledOrder).isEqualTo(memoryOrder).hasSize(rows).doesNotHaveDuplicates();
            assertThat(memoryOrder).isNotEqualTo(memoryOrder.stream().sorted().toList());
            half.forEachBatch(rows, null, (f, l, n) -> {
                for (int i = 0; i < f.length; i++) {
                    float expected = x[l[i / channels] * channels + i % channels];
                    assertThat(f[i]).isCloseTo(expected, within(Math.abs(expected) * 4.9e-4f + 1e-7f));
                }
            });
        }
        try (var left = java.nio.file.Files.list(spill)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void randomAugmentationsAndTrainedAffineCannotBeCachedAndSaySo() {
        SgdConfig sgd = LastBatchNormFineTuner.defaultSgd(0, 1);
        assertThatThrownBy(() -> OnePassFineTuner.checkSupported(new LastBatchNormFineTuner.Request(K,
                LastBatchNormMode.STATS, FineTuneAugmentation.TRAIN, sgd)))
                .hasMessageContaining("needs the test augmentation").hasMessageContaining("features cannot be cached");
        assertThatThrownBy(() -> OnePassFineTuner.checkSupported(new LastBatchNormFineTuner.Request(K,
                LastBatchNormMode.AFFINE, FineTuneAugmentation.TEST, sgd)))
                .hasMessageContaining("gamma/beta").hasMessageContaining("before the last ReLU");
    }

    @Test
    void halfPrecisionRoundsToNearestEvenAndKeepsSpecialValues() {
        assertThat(FeatureCache.Half.fromFloat(1f)).isEqualTo((short) 0x3c00);
        assertThat(FeatureCache.Half.fromFloat(-2f)).isEqualTo((short) 0xc000);
        assertThat(FeatureCache.Half.fromFloat(65504f)).isEqualTo((short) 0x7bff);
        assertThat(FeatureCache.Half.fromFloat(1e6f)).isEqualTo((short) 0x7c00);
        assertThat(FeatureCache.Half.toFloat(FeatureCache.Half.fromFloat(1 + 1f / 2048))).isEqualTo(1f); // tie to even
        assertThat(FeatureCache.Half.toFloat(FeatureCache.Half.fromFloat(5.9604645e-8f))).isEqualTo(5.9604645e-8f);
        assertThat(Float.isNaN(FeatureCache.Half.toFloat(FeatureCache.Half.fromFloat(Float.NaN)))).isTrue();
        assertThat(FeatureCache.Half.toFloat(FeatureCache.Half.fromFloat(0.1f))).isEqualTo(0.099975586f);
    }
}
