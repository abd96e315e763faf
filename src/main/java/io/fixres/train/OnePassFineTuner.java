package io.fixres.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.fixres.core.ActivationHook;
import io.fixres.core.BatchNormStatistics;
import io.fixres.core.FixResNetwork;
import io.fixres.core.FixResScope;
import io.fixres.core.LastBatchNormMode;
import io.fixres.core.TrainingStep;
import io.fixres.data.DataSplits;
import io.fixres.data.ImageDataset;
import io.fixres.data.Subsets;
import io.fixres.eval.InferencePass;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.eval.ResolutionEvaluation;
import io.fixres.model.CardTransforms;
import io.fixres.model.ModelCard;
import io.fixres.train.LastBatchNormFineTuner.FineTuneAugmentation;
import io.fixres.transform.Transform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The FixRes step in about one inference pass (fixres's own method; the authors' code, timm and
 * DJL fine-tune by SGD epochs). With the test-time augmentation every fine-tuning image goes
 * through a deterministic transform and the trunk is frozen, so the published recipe recomputes
 * the same forward pass epoch after epoch. Here:
 * <ol>
 *   <li>statistics pass: the exact per-channel mean and variance of the last BatchNorm's input at K
 *       over the fine-tuning images (or a seeded subset), installed as its running statistics
 *       ({@link BatchNormStatistics}; no labels needed);</li>
 *   <li>feature pass: the pooled features of every fine-tuning image with that BatchNorm now in
 *       inference mode, cached ({@link FeatureCache});</li>
 *   <li>classifier fit: SGD on the cached features (softmax cross-entropy, weight decay, momentum),
 *       warm-started from the current classifier, for {@code sgd.epochs()} epochs: seconds.</li>
 * </ol>
 * Only {@code --bn stats|none} with {@code --da test} can be done this way: random augmentations
 * change the features every epoch, and trained gamma/beta sit before a ReLU, so features could not
 * be cached.
 */
public final class OnePassFineTuner {

    /**
     * @param statsImages images of the statistics pass (a seeded subset of the fine-tuning images); 0 for all
     * @param halfPrecision cache the features as IEEE half floats
     * @param memoryBudgetBytes cached features beyond this go to files under {@code spillDir}
     * @param spillDir where features spill ({@code null}: keep everything in memory)
     */
    public record Options(int statsImages, boolean halfPrecision, long memoryBudgetBytes, Path spillDir) {
        public Options {
            io.fixres.io.InvalidParameterException.require(statsImages >= 0, "statistics images",
                    "must be >= 0 (0: all)", statsImages);
        }

        /** All images for the statistics, float32 features, in memory up to a quarter of the heap. */
        public static Options defaults() {
            return new Options(0, false, Runtime.getRuntime().maxMemory() / 4, null);
        }
    }

    /** Classifier epochs on the cached features by default: they cost seconds. */
    public static final int DEFAULT_CLASSIFIER_EPOCHS = 30;

    private OnePassFineTuner() {}

    /** Throws, saying why, when {@code request} cannot be done in one pass. */
    public static void checkSupported(LastBatchNormFineTuner.Request request) {
        if (request.augmentation() != FineTuneAugmentation.TEST) {
            throw new IllegalArgumentException("the one-pass fine-tuning needs the test augmentation (da test): with "
                    + request.augmentation() + " every epoch sees different images, so features cannot be cached");
        }
        if (request.bn() == LastBatchNormMode.AFFINE) {
            throw new IllegalArgumentException("the one-pass fine-tuning cannot train the last BatchNorm's gamma/beta "
                    + "(bn affine): they sit before the last ReLU, so the cached features would change with them; use "
                    + "bn stats or none");
        }
    }

    /**
     * Fine-tunes {@code net} in place as {@link LastBatchNormFineTuner#run} does, in one statistics
     * pass, one feature pass and a classifier fit on the cached features; same result record.
     */
    public static LastBatchNormFineTuner.Result run(FixResNetwork net, NDManager manager, ModelCard card,
                                                     DataSplits data, LastBatchNormFineTuner.Request request,
                                                     Options options, TrainingProgress progress,
                                                     ResolutionAccuracy knownBefore) {
        checkSupported(request);
        int k = request.testResolution();
        net.checkResolution(k);
        SgdConfig sgd = request.sgd();
        int evalBatch = Math.max(256, sgd.batchSize());
        ResolutionEvaluation evaluation = new ResolutionEvaluation(net, card, manager, evalBatch, sgd.loaderThreads());
        ResolutionAccuracy before = knownBefore != null ? knownBefore
                : evaluation.at(data.test(), k, card.getTestCropRatio(), n -> { });
        Transform transform = CardTransforms.test(card, k);
        InferencePass pass = new InferencePass(net.block(), manager, evalBatch, sgd.loaderThreads());
        List<EpochMetrics> history = new ArrayList<>();
        long start = System.nanoTime();
        // NONE keeps every BatchNorm in inference mode: the passes read, the fit writes only fc.
        try (FixResScope scope = FixResScope.fineTuning(net, LastBatchNormMode.NONE)) {
            if (request.bn() == LastBatchNormMode.STATS) {
                ImageDataset statsImages = options.statsImages() == 0 ? data.train()
                        : Subsets.limit(data.train(), options.statsImages(), sgd.seed() + 7);
                recalibrateLast(net, pass, statsImages, transform, progress);
            }
            try (FeatureCache features = new FeatureCache(featureDim(net), options.halfPrecision(),
                    options.memoryBudgetBytes(), options.spillDir())) {
                cacheFeatures(net, pass, data.train(), transform, features, progress);
                history.addAll(fitClassifier(net, manager, features, sgd, progress));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        ResolutionAccuracy after = evaluation.at(data.test(), k, card.getTestCropRatio(), n -> { });
        return new LastBatchNormFineTuner.Result(before, after, List.copyOf(history),
                LastBatchNormFineTuner.fineTunedCard(card, request, ModelCard.FineTuningMethod.CACHED, before, after),
                seconds);
    }

    /** The statistics pass: exact input statistics of the last BatchNorm at this transform, installed. */
    static BatchNormStatistics recalibrateLast(FixResNetwork net, InferencePass pass, ImageDataset images,
                                               Transform transform, TrainingProgress progress) {
        BatchNormStatistics statistics = new BatchNormStatistics(net.lastBatchNorm().channels());
        net.lastBatchNorm().setInputObserver(statistics);
        progress.passStarted("statistics pass", images.size());
        try {
            pass.run(images, transform, (logits, batch) -> { }, progress::imagesDone);
        } finally {
            net.lastBatchNorm().setInputObserver(null);
            progress.passDone();
        }
        statistics.install(net.lastBatchNorm());
        return statistics;
    }

    static void cacheFeatures(FixResNetwork net, InferencePass pass, ImageDataset images, Transform transform,
                                      FeatureCache features, TrainingProgress progress) {
        ActivationHook installed = net.getActivationHook();
        float[][] pooled = new float[1][];
        net.setActivationHook(new ActivationHook() {
            @Override
            public NDArray preReLU(NDArray activations) {
                return installed.preReLU(activations);
            }

            @Override
            public NDArray pooled(NDArray x) {
                NDArray out = installed.pooled(x); // an installed adaptation is part of what the classifier reads
                pooled[0] = out.toFloatArray();
                return out;
            }
        });
        progress.passStarted("feature pass", images.size());
        try {
            pass.run(images, transform, (logits, batch) -> features.add(pooled[0], batch.labels(), batch.size()),
                    progress::imagesDone);
        } finally {
            net.setActivationHook(installed);
            progress.passDone();
        }
        features.finish();
    }

    /** SGD on the cached features, warm-started from the current classifier. */
    private static List<EpochMetrics> fitClassifier(FixResNetwork net, NDManager manager, FeatureCache features,
                                                    SgdConfig sgd, TrainingProgress progress) {
        int batchesPerEpoch = (int) ((features.rows() + sgd.batchSize() - 1) / sgd.batchSize());
        Tracker learningRate = sgd.schedule().tracker(sgd.learningRate(), batchesPerEpoch * sgd.epochs());
        Optimizer optimizer = Optimizer.sgd().setLearningRateTracker(learningRate).optMomentum(sgd.momentum())
                .optWeightDecays(sgd.weightDecay()).build();
        List<EpochMetrics> history = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(sgd.seed());
        int channels = features.channels();
        int[] updates = {0};
        try (TrainingStep step = new TrainingStep(net.classifier(), manager, optimizer)) {
            for (int epoch = 1; epoch <= sgd.epochs(); epoch++) {
                long start = System.nanoTime();
                double[] lossSum = {0};
                long[] counts = {0, 0, 0}; // images, correct, batches
                int e = epoch;
                progress.epochStarted(epoch, sgd.epochs(), batchesPerEpoch);
                features.forEachBatch(sgd.batchSize(), random.split(), (x, labels, n) -> {
                    TrainingStep.Result r;
                    try (NDManager batch = manager.newSubManager()) {
                        NDArray xs = batch.create(x, new Shape(n, channels));
                        long[] ys = new long[n];
                        for (int i = 0; i < n; i++) {
                            ys[i] = labels[i];
                        }
                        r = step.run(xs, batch.create(ys).toType(DataType.INT64, false));
                    }
                    if (!Float.isFinite(r.loss())) {
                        throw new TrainingException("classifier loss became " + r.loss() + " at epoch " + e
                                + ": lower the learning rate");
                    }
                    updates[0]++;
                    lossSum[0] += r.loss() * n;
                    counts[0] += n;
                    counts[1] += r.correct();
                    counts[2]++;
                    progress.batchDone(e, (int) counts[2], lossSum[0] / counts[0], 100.0 * counts[1] / counts[0]);
                });
                EpochMetrics metrics = new EpochMetrics(epoch, lossSum[0] / counts[0], 100.0 * counts[1] / counts[0],
                        learningRate.getNewValue(updates[0]), counts[0], (System.nanoTime() - start) / 1e9, null);
                progress.epochDone(metrics);
                history.add(metrics);
            }
        }
        return history;
    }

    private static int featureDim(FixResNetwork net) {
        return (int) net.classifierParameters().get(0).getArray().getShape().get(1);
    }
}
