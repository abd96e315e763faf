package io.fixres.train;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.annotation.JsonValue;
import io.fixres.core.FixResNetwork;
import io.fixres.core.LastBatchNormMode;
import io.fixres.data.DataSplits;
import io.fixres.data.ImageDataset;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.eval.ResolutionEvaluation;
import io.fixres.model.ModelCard;
import java.util.function.Consumer;

/**
 * The ways fixres adapts a network to a test resolution K, each applied the same way by the
 * studies (Tables 4 and 6): the published SGD fine-tuning, the one-pass fine-tuning, and the
 * label-free recalibration of the last or of every BatchNorm.
 */
public enum FixResMethod {
    /** The published recipe (paper section 5): SGD epochs, the last BatchNorm on batch statistics. */
    SGD("sgd", false),
    /** {@link OnePassFineTuner}: exact last-BN statistics, cached features, classifier fit. */
    CACHED("cached", false),
    /** {@link Recalibration} of the last BatchNorm; no label read. */
    RECALIBRATE_LAST("recalibrate-last", true),
    /** {@link Recalibration} of every BatchNorm; no label read. */
    RECALIBRATE_ALL("recalibrate-all", true);

    private final String id;
    private final boolean labelFree;

    FixResMethod(String id, boolean labelFree) {
        this.id = id;
        this.labelFree = labelFree;
    }

    @JsonValue
    public String id() { return id; }

    /** True when the method never reads a label of the images it adapts on. */
    public boolean labelFree() { return labelFree; }

    @Override
    public String toString() { return id; }

    /**
     * True when the method changes only the last BatchNorm and the classifier, so its accuracy can be
     * read from a {@link LastBlockEvaluation} of the untouched network (every method but the
     * recalibration of every BatchNorm).
     */
    public boolean changesOnlyLastBatchNormAndClassifier() {
        return this != RECALIBRATE_ALL;
    }

    /**
     * Whether {@link #adapt} of this method with {@code request} passes through the network that
     * {@code other} with {@code otherRequest} gives on the same images, and can hand it to
     * {@code adapt}'s listener: the one-pass fine-tuning with {@code --bn stats} first installs the
     * last BatchNorm's exact statistics at K over every image with the test transform, which is the
     * recalibration of the last BatchNorm at K (whose statistics do not depend on the batch size).
     */
    public boolean passesThrough(LastBatchNormFineTuner.Request request, FixResMethod other,
                                 LastBatchNormFineTuner.Request otherRequest) {
        return this == CACHED && request.bn() == LastBatchNormMode.STATS
                && request.augmentation() == LastBatchNormFineTuner.FineTuneAugmentation.TEST
                && other == RECALIBRATE_LAST && otherRequest.testResolution() == request.testResolution();
    }

    /**
     * Applies this method to {@code net} at K = {@code request.testResolution()} on {@code images},
     * in place, without measuring anything ({@link #apply} also evaluates).
     */
    public void adapt(FixResNetwork net, NDManager manager, ModelCard card, ImageDataset images,
                      LastBatchNormFineTuner.Request request, TrainingProgress progress) {
        adapt(net, manager, card, images, request, progress, passedThrough -> { });
    }

    /**
     * {@link #adapt(FixResNetwork, NDManager, ModelCard, ImageDataset, LastBatchNormFineTuner.Request,
     * TrainingProgress) adapt}, handing {@code net} to {@code passedThrough} at the point where it holds what
     * {@link #passesThrough} names (never called for other methods).
     */
    public void adapt(FixResNetwork net, NDManager manager, ModelCard card, ImageDataset images,
                      LastBatchNormFineTuner.Request request, TrainingProgress progress,
                      Consumer<FixResNetwork> passedThrough) {
        switch (this) {
            case SGD -> LastBatchNormFineTuner.fineTune(net, manager, card, images, request, progress);
            case CACHED -> OnePassFineTuner.fineTune(net, manager, card, images, request,
                    OnePassFineTuner.Options.defaults(), progress, passedThrough);
            case RECALIBRATE_LAST, RECALIBRATE_ALL -> Recalibration.run(net, manager, card, images,
                    request.testResolution(), this == RECALIBRATE_LAST ? Recalibration.Layers.LAST
                            : Recalibration.Layers.ALL, Math.max(256, request.sgd().batchSize()),
                    request.sgd().loaderThreads(), progress);
        }
    }

    /**
     * Applies this method to {@code net} at K = {@code request.testResolution()} on
     * {@code data.train()} and returns top-1 at K on {@code data.test()}. {@code request} gives the
     * fine-tuning's SGD (epochs on images for SGD, on cached features for CACHED) and BatchNorm
     * mode; recalibration uses only its batch size and threads.
     */
    public ResolutionAccuracy apply(FixResNetwork net, NDManager manager, ModelCard card, DataSplits data,
                                    LastBatchNormFineTuner.Request request, TrainingProgress progress,
                                    ResolutionAccuracy before) {
        int batch = Math.max(256, request.sgd().batchSize());
        int threads = request.sgd().loaderThreads();
        return switch (this) {
            case SGD -> LastBatchNormFineTuner.run(net, manager, card, data, request, progress, before).after();
            case CACHED -> OnePassFineTuner.run(net, manager, card, data, request, OnePassFineTuner.Options.defaults(),
                    progress, before).after();
            case RECALIBRATE_LAST, RECALIBRATE_ALL -> {
                int k = request.testResolution();
                adapt(net, manager, card, data.train(), request, progress);
                ResolutionEvaluation evaluation = new ResolutionEvaluation(net, card, manager, batch, threads);
                yield progress.pass("evaluate at " + k + " px after recalibration", data.test().size(),
                        done -> evaluation.at(data.test(), k, card.getTestCropRatio(), done));
            }
        };
    }
}
