package io.fixres.train;

import ai.djl.ndarray.NDManager;
import io.fixres.core.FixResScope;
import io.fixres.data.DataSplits;
import io.fixres.eval.ResolutionEvaluation;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import io.fixres.transform.Pipelines;
import io.fixres.transform.TrainAugmentation;
import io.fixres.transform.Transform;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Trains a classifier from scratch at one resolution with RandomResizedCrop (the standard
 * recipe whose train-test discrepancy FixRes fixes) or resize + random crop (supplement D).
 */
public final class FromScratchTraining {

    /**
     * What to train.
     *
     * @param architecture resnet-small, resnet18, resnet34, resnet50 or resnet101
     * @param widthMultiplier scales every stage's width
     * @param trainResolution K_train
     * @param augmentation rrc (paper) or resize-crop (supplement D)
     * @param colorJitter ColorJitter strength for brightness/contrast/saturation (0.3 in the paper)
     * @param zeroInitResidual zero-initialise the last BN of each residual block
     * @param validate evaluate held-out top-1 at K_train after each epoch
     */
    public record Request(
            String architecture,
            double widthMultiplier,
            int trainResolution,
            TrainAugmentation augmentation,
            double colorJitter,
            boolean zeroInitResidual,
            SgdConfig sgd,
            boolean validate) {

        /** The same recipe at another resolution and augmentation (one column of a train/test grid). */
        public Request with(int trainResolution, TrainAugmentation augmentation) {
            return new Request(architecture, widthMultiplier, trainResolution, augmentation, colorJitter,
                    zeroInitResidual, sgd, validate);
        }

        /**
         * Throws, naming "train resolution" and the accepted range, when this architecture cannot
         * be trained at {@link #trainResolution}; needs no data (the range depends on the geometry only).
         */
        public void checkTrainResolution() {
            ResNet.builder().architecture(architecture).widthMultiplier(widthMultiplier).build()
                    .checkResolution("train resolution", trainResolution);
        }

        /** The network this request trains for {@code data}, uninitialised (to check resolutions before training). */
        public ResNet network(DataSplits data) {
            return ResNet.builder()
                    .architecture(architecture)
                    .numClasses(data.train().numClasses())
                    .inputChannels(data.train().channels())
                    .widthMultiplier(widthMultiplier)
                    .zeroInitResidual(zeroInitResidual)
                    .build();
        }
    }

    /** The trained network (its parameters live in the caller's manager), its card and its history. */
    public record Result(ResNet net, ModelCard card, List<EpochMetrics> history) {}

    private FromScratchTraining() {}

    /**
     * Builds the network described by {@code request}, trains it on {@code data.train()} and
     * returns it with a complete model card. {@code manager} owns the parameters; {@code onEpoch}
     * sees every epoch's metrics as soon as they exist (e.g. to append them to metrics.jsonl).
     */
    public static Result run(NDManager manager, Request request, DataSplits data, TrainingProgress progress,
                             Consumer<EpochMetrics> onEpoch) {
        ResNet net = request.network(data);
        ConvolutionBackwardCheck.require(net); // training from scratch back-propagates through every convolution
        // Seed the engine too: the initial weights come from its generator.
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) request.sgd().seed());
        net.checkResolution("train resolution", request.trainResolution());
        net.initialize(manager, request.trainResolution());

        ModelCard card = ModelCard.forModel(net);
        card.setClassNames(data.train().classNames());
        card.setMean(toDoubles(data.normalization().mean()));
        card.setStd(toDoubles(data.normalization().std()));
        card.setTrainResolution(request.trainResolution());
        card.setTrainAugmentation(request.augmentation());
        card.setTestCropRatio(Pipelines.DEFAULT_CROP_RATIO);
        card.setDataset(data.name());
        card.setSeed(request.sgd().seed());

        Transform augment = request.augmentation().pipeline(
                request.trainResolution(), data.normalization(), request.colorJitter());
        List<EpochMetrics> history = new ArrayList<>();
        try (FixResScope scope = FixResScope.fullTraining(net);
             SgdRun run = new SgdRun(net, manager, request.sgd(), data.train().size())) {
            ResolutionEvaluation validation = new ResolutionEvaluation(net, card, manager,
                    Math.max(256, request.sgd().batchSize()), request.sgd().loaderThreads());
            for (int epoch = 1; epoch <= request.sgd().epochs(); epoch++) {
                EpochMetrics metrics = run.runEpoch(epoch, data.train(), augment, progress);
                if (request.validate()) {
                    metrics = metrics.withValidTop1(validation.at(data.test(), request.trainResolution(),
                            card.getTestCropRatio(), n -> { }).top1());
                }
                history.add(metrics);
                onEpoch.accept(metrics);
            }
        }
        return new Result(net, card, history);
    }

    static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Double.parseDouble(Float.toString(values[i])); // 0.286f -> 0.286, not 0.28600001335
        }
        return out;
    }
}
