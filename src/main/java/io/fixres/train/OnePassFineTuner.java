package io.fixres.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.fixres.core.ActivationHook;
import io.fixres.core.BatchNormStatistics;
import io.fixres.core.FixResNetwork;
import io.fixres.core.FixResScope;
import io.fixres.core.LastBatchNormMode;
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
import java.util.function.Consumer;

/**
 * The FixRes step in about one inference pass (fixres's own method; the authors' code, timm and
 * DJL fine-tune by SGD epochs). With the test-time augmentation every fine-tuning image goes
 * through a deterministic transform and the trunk is frozen, so the published recipe recomputes
 * the same forward pass epoch after epoch. Here:
 * <ol>
 *   <li>statistics pass: the exact per-channel mean and variance of the last BatchNorm's input at K
 *       over the fine-tuning images (or a seeded subset), installed as its running statistics
 *       ({@link BatchNormStatistics}; no labels needed);</li>
 *   <li>features: the pooled features of every fine-tuning image with that BatchNorm now in
 *       inference mode, cached ({@link FeatureCache}); computed from what the statistics pass kept
 *       ({@link LastBlockCapture}) when it saw every image and the activations fit the memory
 *       budget, else by a second, feature pass;</li>
 *   <li>classifier fit: SGD on the cached features (softmax cross-entropy, weight decay, momentum),
 *       warm-started from the current classifier, for {@code sgd.epochs()} epochs, in plain Java
 *       ({@link LinearClassifierFit}): well under a second.</li>
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
        int evalBatch = passBatchSize(sgd);
        ResolutionEvaluation evaluation = new ResolutionEvaluation(net, card, manager, evalBatch, sgd.loaderThreads());
        ResolutionAccuracy before = knownBefore != null ? knownBefore
                : progress.pass("evaluate at " + k + " px before fine-tuning", data.test().size(),
                        done -> evaluation.at(data.test(), k, card.getTestCropRatio(), done));
        long start = System.nanoTime();
        List<EpochMetrics> history = fineTune(net, manager, card, data.train(), request, options, progress);
        double seconds = (System.nanoTime() - start) / 1e9;
        ResolutionAccuracy after = progress.pass("evaluate at " + k + " px after fine-tuning", data.test().size(),
                done -> evaluation.at(data.test(), k, card.getTestCropRatio(), done));
        return new LastBatchNormFineTuner.Result(before, after, List.copyOf(history),
                LastBatchNormFineTuner.fineTunedCard(card, request, ModelCard.FineTuningMethod.CACHED, before, after),
                seconds);
    }

    /**
     * The fine-tuning alone, without the evaluations around it: statistics pass, features, classifier
     * fit on {@code images} at K = {@code request.testResolution()}, in place; returns the classifier
     * fit's history. For callers that measure before and after themselves ({@code fixres fix}).
     */
    public static List<EpochMetrics> fineTune(FixResNetwork net, NDManager manager, ModelCard card, ImageDataset images,
                                              LastBatchNormFineTuner.Request request, Options options,
                                              TrainingProgress progress) {
        return fineTune(net, manager, card, images, request, options, progress, recalibrated -> { });
    }

    /**
     * {@link #fineTune(FixResNetwork, NDManager, ModelCard, ImageDataset, LastBatchNormFineTuner.Request, Options,
     * TrainingProgress) fineTune}, handing {@code net} to {@code lastBatchNormRecalibrated} between the statistics
     * pass and the classifier fit (with {@code --bn stats}): it then holds exactly what {@link Recalibration} of the
     * last BatchNorm on the same images gives, so a study measures both from one pass.
     */
    public static List<EpochMetrics> fineTune(FixResNetwork net, NDManager manager, ModelCard card, ImageDataset images,
                                              LastBatchNormFineTuner.Request request, Options options,
                                              TrainingProgress progress, Consumer<FixResNetwork> lastBatchNormRecalibrated) {
        checkSupported(request);
        int k = request.testResolution();
        net.checkResolution(k);
        SgdConfig sgd = request.sgd();
        int evalBatch = passBatchSize(sgd);
        Transform transform = CardTransforms.test(card, k);
        InferencePass pass = new InferencePass(net.block(), manager, evalBatch, sgd.loaderThreads());
        List<EpochMetrics> history = new ArrayList<>();
        // NONE keeps every BatchNorm in inference mode: the passes only read.
        try (FixResScope scope = FixResScope.fineTuning(net, LastBatchNormMode.NONE);
             FeatureCache features = new FeatureCache(featureDim(net), options.halfPrecision(),
                     options.memoryBudgetBytes(), options.spillDir())) {
            boolean statisticsOnAll = options.statsImages() == 0 || options.statsImages() >= images.size();
            // the single pass needs the features to be an affine-in-x function of what it keeps: no adaptation hook
            LastBlockCapture capture = request.bn() == LastBatchNormMode.STATS && statisticsOnAll
                    && net.getActivationHook() == ActivationHook.IDENTITY
                    ? new LastBlockCapture(options.memoryBudgetBytes()) : null;
            if (request.bn() == LastBatchNormMode.STATS) {
                ImageDataset statsImages = statisticsOnAll ? images
                        : Subsets.limit(images, options.statsImages(), sgd.seed() + 7);
                float[] oldMean = net.lastBatchNorm().runningMean().getArray().toFloatArray();
                float[] oldVar = net.lastBatchNorm().runningVar().getArray().toFloatArray();
                statisticsPass(net, pass, statsImages, transform, capture, progress)
                        .install(net.lastBatchNorm());
                if (statisticsOnAll) {
                    lastBatchNormRecalibrated.accept(net);
                }
                if (capture != null && capture.complete()) {
                    capture.features(net.lastBatchNorm(), oldMean, oldVar, features);
                }
            }
            if (features.rows() == 0) {
                cacheFeatures(net, pass, images, transform, features, progress);
            }
            history.addAll(fitClassifier(net, features, sgd, progress));
        }
        return List.copyOf(history);
    }

    /**
     * The statistics pass: the exact input statistics of the last BatchNorm at this transform (not
     * installed); with a {@code capture}, it also keeps what the features need.
     */
    public static BatchNormStatistics statisticsPass(FixResNetwork net, InferencePass pass, ImageDataset images,
                                              Transform transform, LastBlockCapture capture, TrainingProgress progress) {
        BatchNormStatistics statistics = new BatchNormStatistics(net.lastBatchNorm().channels());
        net.lastBatchNorm().setInputObserver(capture == null ? statistics : x -> {
            statistics.accept(x);
            capture.observeInput(x);
        });
        ActivationHook installed = net.getActivationHook();
        if (capture != null) {
            net.setActivationHook(capture);
        }
        progress.passStarted("statistics pass", images.size());
        try {
            pass.run(images, transform, (logits, batch) -> {
                if (capture != null) {
                    capture.batchDone(batch.labels(), batch.size());
                }
            }, progress::imagesDone);
        } finally {
            net.lastBatchNorm().setInputObserver(null);
            net.setActivationHook(installed);
            progress.passDone();
        }
        return statistics;
    }

    public static void cacheFeatures(FixResNetwork net, InferencePass pass, ImageDataset images, Transform transform,
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

    /** SGD on the cached features, warm-started from the current classifier, written back into it. */
    private static List<EpochMetrics> fitClassifier(FixResNetwork net, FeatureCache features, SgdConfig sgd,
                                                    TrainingProgress progress) {
        NDArray weight = net.classifierParameters().get(0).getArray();
        NDArray bias = net.classifierParameters().get(1).getArray();
        LinearClassifierFit fit = new LinearClassifierFit(weight.toFloatArray(), bias.toFloatArray());
        List<EpochMetrics> history = fit.fit(features, sgd, progress);
        weight.set(fit.weight());
        bias.set(fit.bias());
        return history;
    }

    /**
     * Batch of the inference passes: the fine-tuning's own. Larger batches only paid while glibc's
     * malloc page-faulted every tensor (docs/performance.md); now they just spill the caches.
     */
    public static int passBatchSize(SgdConfig sgd) {
        return sgd.batchSize();
    }

    private static int featureDim(FixResNetwork net) {
        return (int) net.classifierParameters().get(0).getArray().getShape().get(1);
    }
}
