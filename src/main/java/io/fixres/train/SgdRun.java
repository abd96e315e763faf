package io.fixres.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.fixres.core.TrainingStep;
import io.fixres.data.Batch;
import io.fixres.data.BatchLoader;
import io.fixres.data.ImageDataset;
import io.fixres.model.FiniteTensors;
import io.fixres.transform.Transform;
import java.util.Locale;

/**
 * Epochs of SGD with momentum over a network whose trainable parameters the caller has chosen
 * (a {@link io.fixres.core.FixResScope}): shuffled, seeded batches from a {@link BatchLoader}
 * through the one {@link TrainingStep}, a learning-rate schedule over updates, and checks that
 * the loss and the weights stay finite. Shared by from-scratch training and the FixRes step.
 */
public final class SgdRun implements AutoCloseable {
    private final Block block;
    private final TrainingStep step;
    private final Tracker learningRate;
    private final SgdConfig config;
    private final int batchesPerEpoch;
    private int updates;

    /**
     * @param block an initialised network whose trainable parameters are already chosen
     * @param manager the run's arrays live in sub-managers of it, closed with the run
     * @param trainImages number of training images (sets the schedule length)
     */
    public SgdRun(Block block, NDManager manager, SgdConfig config, int trainImages) {
        this.block = block;
        this.config = config;
        this.batchesPerEpoch = Math.max(1, trainImages / config.batchSize());
        this.learningRate = config.schedule().tracker(config.learningRate(), batchesPerEpoch * config.epochs());
        Optimizer sgd = Optimizer.sgd()
                .setLearningRateTracker(learningRate)
                .optMomentum(config.momentum())
                .optWeightDecays(config.weightDecay())
                .build();
        this.step = new TrainingStep(block, manager, sgd);
    }

    /** Batches per epoch: the last incomplete batch is dropped (BatchNorm needs full batches). */
    public int batchesPerEpoch() { return batchesPerEpoch; }

    /** A loader over {@code data} for {@code epoch}: shuffled, seeded, last partial batch dropped. */
    public BatchLoader loader(ImageDataset data, Transform transform, int epoch) {
        return BatchLoader.builder(data)
                .transform(transform)
                .batchSize(config.batchSize())
                .shuffle(true)
                .dropLast(true)
                .seed(config.seed())
                .epoch(epoch)
                .threads(config.loaderThreads())
                .build();
    }

    /** One epoch of SGD. */
    public EpochMetrics runEpoch(int epoch, ImageDataset data, Transform transform, TrainingProgress progress) {
        long start = System.nanoTime();
        double lossSum = 0;
        long correct = 0;
        long images = 0;
        int batchIndex = 0;
        progress.epochStarted(epoch, config.epochs(), batchesPerEpoch);
        try (BatchLoader loader = loader(data, transform, epoch)) {
            for (Batch batch : loader) {
                StepResult result = step(batch);
                if (!Float.isFinite(result.loss())) {
                    throw new TrainingException(nonFiniteLossMessage(result.loss(), epoch, batchIndex + 1));
                }
                lossSum += result.loss() * batch.size();
                correct += result.correct();
                images += batch.size();
                batchIndex++;
                progress.batchDone(epoch, batchIndex, lossSum / images, 100.0 * correct / images);
            }
        }
        if (images == 0) {
            throw new TrainingException("epoch " + epoch + " saw no complete batch: the training set has fewer "
                    + "images than the batch size " + config.batchSize());
        }
        // A non-finite gradient makes the weights non-finite without a non-finite loss (the loss is
        // computed before the update): check them before anyone evaluates or saves them.
        FiniteTensors.firstNonFinite(block).ifPresent(name -> {
            throw new TrainingException(String.format(Locale.ROOT,
                    "tensor '%s' holds NaN or infinite values after epoch %d (learning rate %.4g): an update "
                            + "had a non-finite gradient; nothing was saved", name, epoch, currentLearningRate()));
        });
        EpochMetrics metrics = new EpochMetrics(epoch, lossSum / images, 100.0 * correct / images,
                currentLearningRate(), images, (System.nanoTime() - start) / 1e9, null);
        progress.epochDone(metrics);
        return metrics;
    }

    /** Says whether the batch's data or an earlier update's weights made the loss non-finite. */
    private String nonFiniteLossMessage(float loss, int epoch, int batch) {
        String where = String.format(Locale.ROOT, "loss became %s at epoch %d, batch %d (learning rate %.4g)",
                loss, epoch, batch, currentLearningRate());
        return FiniteTensors.firstNonFinite(block)
                .map(name -> where + ": tensor '" + name + "' already held NaN or infinite values (an earlier update "
                        + "had a non-finite gradient); lower the learning rate, or check the engine and the weights")
                .orElse(where + ": the weights are finite, so the batch's images or the learning rate are at fault; "
                        + "lower the learning rate, or check the input data for NaN/Inf values");
    }

    /** Mean loss of one step's batch and how many of its images were right at top-1. */
    public record StepResult(float loss, long correct) {}

    /**
     * One optimizer step on {@code batch} (skipped when the loss is not finite). Reading the loss
     * waits for the engine, so timing a call measures the whole step.
     */
    public StepResult step(Batch batch) {
        TrainingStep.Result result = step.run(batch);
        if (Float.isFinite(result.loss())) {
            updates++;
        }
        return new StepResult(result.loss(), result.correct());
    }

    public double currentLearningRate() { return learningRate.getNewValue(updates); }

    @Override
    public void close() { step.close(); }
}
