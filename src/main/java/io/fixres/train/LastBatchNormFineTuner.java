package io.fixres.train;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import io.fixres.core.FixResNetwork;
import io.fixres.core.FixResScope;
import io.fixres.core.LastBatchNormMode;
import com.fasterxml.jackson.annotation.JsonValue;
import io.fixres.data.DataSplits;
import io.fixres.data.ImageDataset;
import io.fixres.model.CardTransforms;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.eval.ResolutionEvaluation;
import io.fixres.model.Checkpoint;
import io.fixres.model.ModelCard;
import io.fixres.transform.Pipelines;
import io.fixres.transform.TrainAugmentation;
import io.fixres.transform.Transform;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The FixRes step (paper section 5, supplement Table 6): fine-tune a trained network at the test
 * resolution K with only the classifier trainable and the last BatchNorm re-estimating its
 * statistics, so the pooled features the classifier sees match their distribution at K.
 *
 * <p>Every BatchNorm but the last runs in inference mode with its stored statistics and every
 * parameter but fc's is frozen, so no gradient flows into the trunk: a fine-tuning step costs a
 * forward pass plus a backward through fc (and the last BN's affine in {@link LastBatchNormMode#AFFINE}).
 */
public final class LastBatchNormFineTuner {

    /** The fine-tuning images' augmentation (Table 6 "Data aug.", Table 8). */
    public enum FineTuneAugmentation {
        /** The card's training augmentation at K (RandomResizedCrop + flip + colour jitter 0.3 for rrc). */
        TRAIN,
        /** Exactly the test transform at K: resize to K / crop ratio, centre crop K (v1). */
        TEST,
        /** The authors' v2: resize, flip, colour jitter 0.05, horizontally jittered centre crop. */
        TEST2;

        /** The name in JSON and on the command line: train, test, test2. */
        @JsonValue
        public String id() { return name().toLowerCase(Locale.ROOT); }

        @Override
        public String toString() { return id(); }

        /** The fine-tuning transform at {@code k} for the model {@code card} describes. */
        public Transform pipeline(ModelCard card, int k) {
            return switch (this) {
                case TRAIN -> trainAugmentationOf(card).pipeline(k, CardTransforms.normalization(card),
                        Pipelines.PAPER_JITTER);
                case TEST -> CardTransforms.test(card, k);
                case TEST2 -> Pipelines.testDA2(k, card.getTestCropRatio(), CardTransforms.resizeMode(card),
                        CardTransforms.normalization(card));
            };
        }

        /** Imported weights have no recorded augmentation: use the paper's RandomResizedCrop. */
        private static TrainAugmentation trainAugmentationOf(ModelCard card) {
            return card.getTrainAugmentation() == null ? TrainAugmentation.RRC : card.getTrainAugmentation();
        }
    }

    /**
     * One fine-tuning.
     *
     * @param testResolution K, the resolution the model is fine-tuned for and evaluated at
     * @param bn what the last BatchNorm does
     * @param augmentation the fine-tuning images' transform
     * @param sgd epochs, batch size, learning rate, schedule... ({@link #defaultSgd})
     */
    public record Request(int testResolution, LastBatchNormMode bn, FineTuneAugmentation augmentation, SgdConfig sgd) {
        public Request {
            Objects.requireNonNull(bn, "bn");
            Objects.requireNonNull(augmentation, "augmentation");
            Objects.requireNonNull(sgd, "sgd");
        }
    }

    /**
     * A fine-tuning without its resolution, for studies that fine-tune at many K (grid, ablation).
     */
    public record Recipe(LastBatchNormMode bn, FineTuneAugmentation augmentation, SgdConfig sgd) {
        public Recipe {
            Objects.requireNonNull(bn, "bn");
            Objects.requireNonNull(augmentation, "augmentation");
            Objects.requireNonNull(sgd, "sgd");
        }

        public Request at(int testResolution) {
            return new Request(testResolution, bn, augmentation, sgd);
        }

        public Recipe with(LastBatchNormMode bn, FineTuneAugmentation augmentation) {
            return new Recipe(bn, augmentation, sgd);
        }

        /** "classifier + batch-norm (stats), test DA, 3 epochs, batch 128, lr 0.01 (step)". */
        public String summary() {
            return "classifier" + (bn == LastBatchNormMode.NONE ? "" : " + batch-norm (" + bn.id() + ")") + ", "
                    + augmentation.id() + " DA, " + sgdSummary();
        }

        /** "3 epochs, batch 128, lr 0.01 (step)". */
        public String sgdSummary() {
            return String.format(Locale.ROOT, "%d epochs, batch %d, lr %s (%s)", sgd.epochs(), sgd.batchSize(),
                    sgd.learningRate(), sgd.schedule().id());
        }
    }

    /** Top-1/top-5 at K before and after, the per-epoch history, and the card of the fine-tuned weights. */
    public record Result(ResolutionAccuracy before, ResolutionAccuracy after, List<EpochMetrics> history, ModelCard card,
                         double seconds) {}

    // Defaults for small data, chosen on Fashion-MNIST (docs/finetuning.md "Choosing the defaults").
    // The paper: lr 8e-3 per 512 images, StepLR(30 epochs), ~56 epochs over ImageNet.
    public static final int DEFAULT_EPOCHS = 3;
    public static final int DEFAULT_BATCH_SIZE = 128;
    public static final float DEFAULT_LEARNING_RATE = 0.01f;
    public static final float DEFAULT_MOMENTUM = 0.9f;
    public static final float DEFAULT_WEIGHT_DECAY = 1e-4f;
    public static final LearningRateSchedule DEFAULT_SCHEDULE = LearningRateSchedule.STEP;

    private LastBatchNormFineTuner() {}

    /** The default fine-tuning SGD: SGD momentum 0.9, weight decay 1e-4, step schedule (reference code), sized for small data. */
    public static SgdConfig defaultSgd(long seed, int loaderThreads) {
        return new SgdConfig(DEFAULT_EPOCHS, DEFAULT_BATCH_SIZE, DEFAULT_LEARNING_RATE, DEFAULT_MOMENTUM,
                DEFAULT_WEIGHT_DECAY, DEFAULT_SCHEDULE, seed, loaderThreads);
    }

    /**
     * Fine-tunes {@code net} in place on {@code data.train()}, measuring top-1 at K on
     * {@code data.test()} before and after. Trainability and BatchNorm modes are restored
     * afterwards, even on failure.
     *
     * @param manager the run's arrays live in sub-managers of it (the one holding the network's parameters will do)
     * @param knownBefore the accuracy before fine-tuning when already measured (a study that
     *     fine-tunes the same checkpoint several times at K measures it once); {@code null} measures it
     * @return accuracies and the updated card: a copy of {@code card} with the fine-tuning appended
     *     and the recommended test resolution set to K
     * @throws IllegalArgumentException if K is below the network's minimum useful resolution
     */
    public static Result run(FixResNetwork net, NDManager manager, ModelCard card, DataSplits data, Request request,
                             TrainingProgress progress, ResolutionAccuracy knownBefore) {
        int k = request.testResolution();
        net.checkResolution(k);
        SgdConfig sgd = request.sgd();
        ResolutionEvaluation evaluation = new ResolutionEvaluation(net, card, manager,
                Math.max(256, sgd.batchSize()), sgd.loaderThreads());
        ResolutionAccuracy before = knownBefore != null ? knownBefore
                : progress.pass("evaluate at " + k + " px before fine-tuning", data.test().size(),
                        done -> evaluation.at(data.test(), k, card.getTestCropRatio(), done));
        if (before.testResolution() != k) {
            throw new IllegalArgumentException("accuracy before fine-tuning is at " + before.testResolution()
                    + " px, not at the fine-tuning resolution " + k + " px");
        }
        long start = System.nanoTime();
        List<EpochMetrics> history = fineTune(net, manager, card, data.train(), request, progress);
        double seconds = (System.nanoTime() - start) / 1e9;
        ResolutionAccuracy after = progress.pass("evaluate at " + k + " px after fine-tuning", data.test().size(),
                done -> evaluation.at(data.test(), k, card.getTestCropRatio(), done));
        return new Result(before, after, List.copyOf(history),
                fineTunedCard(card, request, ModelCard.FineTuningMethod.SGD, before, after), seconds);
    }

    /**
     * The fine-tuning alone, without the evaluations around it: {@code request}'s SGD epochs on
     * {@code images} at K, in place; returns the epochs' metrics. Trainability and BatchNorm modes
     * are restored afterwards, even on failure.
     */
    public static List<EpochMetrics> fineTune(FixResNetwork net, NDManager manager, ModelCard card, ImageDataset images,
                                              Request request, TrainingProgress progress) {
        net.checkResolution(request.testResolution());
        SgdConfig sgd = request.sgd();
        Transform augment = request.augmentation().pipeline(card, request.testResolution());
        List<EpochMetrics> history = new ArrayList<>();
        try (FixResScope ignored = FixResScope.fineTuning(net, request.bn());
             SgdRun run = new SgdRun(net.block(), manager, sgd, images.size())) {
            for (int epoch = 1; epoch <= sgd.epochs(); epoch++) {
                history.add(run.runEpoch(epoch, images, augment, progress));
            }
        }
        return List.copyOf(history);
    }

    /**
     * Loads the checkpoint in {@code dir} afresh, fine-tunes it and returns the result; the
     * fine-tuned weights are discarded (studies measure, {@code fixres finetune} saves).
     */
    public static Result runOnCheckpoint(Path dir, DataSplits data, Request request, TrainingProgress progress,
                                         ResolutionAccuracy knownBefore) throws IOException {
        try (Model model = Model.newInstance("fixres")) {
            Checkpoint.LoadedModel loaded = Checkpoint.load(dir, model.getNDManager());
            return run(loaded.net(), model.getNDManager(), loaded.card(), data, request, progress, knownBefore);
        }
    }

    /** A copy of {@code card} with this fine-tuning appended and K recommended. */
    public static ModelCard fineTunedCard(ModelCard card, Request request, ModelCard.FineTuningMethod method,
                                   ResolutionAccuracy before, ResolutionAccuracy after) {
        return withFineTuning(card, new ModelCard.FineTuning(request.testResolution(), request.bn().id(),
                request.augmentation().id(), request.sgd().epochs(), request.sgd().learningRate(), before.top1(),
                after.top1(), method, null, null), request.testResolution());
    }

    /** A copy of {@code card} with {@code fineTuning} appended and the recommended test resolution set to K. */
    public static ModelCard withFineTuning(ModelCard card, ModelCard.FineTuning fineTuning, int k) {
        ModelCard copy = card.copy();
        List<ModelCard.FineTuning> fineTunings = new ArrayList<>(copy.getFineTunings());
        fineTunings.add(fineTuning);
        copy.setFineTunings(fineTunings);
        copy.setRecommendedTestResolution(k);
        return copy;
    }
}
