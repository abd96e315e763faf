package io.fixres.train;

import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fits a linear classifier (logits = W f + b) to cached features by minibatch SGD on the mean
 * softmax cross-entropy, in plain Java: the classifier fit of the one-pass FixRes step, where a
 * JNI round trip per step of a 10 x 128 matrix would cost more than the arithmetic. The update
 * is exactly DJL's SGD on the PyTorch engine (weight decay on every parameter, then momentum):
 * {@code g = lr * (grad + wd * w); v = momentum * v + g; w -= v}, the learning rate of update u
 * (counted from 1, as DJL does) taken from the schedule's tracker.
 */
public final class LinearClassifierFit {
    private final int classes;
    private final int features;
    private final float[] weight; // classes x features, row-major, as fc.weight
    private final float[] bias;
    private final float[] weightVelocity;
    private final float[] biasVelocity;

    /** Starts from {@code weight} (classes x features) and {@code bias} (classes): a warm start. */
    public LinearClassifierFit(float[] weight, float[] bias) {
        this.classes = bias.length;
        if (classes < 1 || weight.length % classes != 0) {
            throw new IllegalArgumentException("weight of " + weight.length + " values does not fit " + classes + " classes");
        }
        this.features = weight.length / classes;
        this.weight = weight.clone();
        this.bias = bias.clone();
        this.weightVelocity = new float[weight.length];
        this.biasVelocity = new float[classes];
    }

    public float[] weight() { return weight.clone(); }

    public float[] bias() { return bias.clone(); }

    /**
     * Runs {@code config.epochs()} epochs over {@code cache} in shuffled batches of
     * {@code config.batchSize()}, the learning rate following {@code config.schedule()} over updates.
     */
    public List<EpochMetrics> fit(FeatureCache cache, SgdConfig config, TrainingProgress progress) {
        if (cache.channels() != features) {
            throw new IllegalArgumentException("cached features have " + cache.channels() + " channels, the classifier "
                    + features);
        }
        int batchesPerEpoch = (int) ((cache.rows() + config.batchSize() - 1) / config.batchSize());
        Tracker learningRate = config.schedule().tracker(config.learningRate(), batchesPerEpoch * config.epochs());
        SplittableRandom random = new SplittableRandom(config.seed());
        List<EpochMetrics> history = new ArrayList<>();
        int[] updates = {0};
        double[] logits = new double[classes];
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            long start = System.nanoTime();
            double[] lossSum = {0};
            long[] counts = {0, 0, 0}; // images, correct, batches
            int e = epoch;
            progress.epochStarted(epoch, config.epochs(), batchesPerEpoch);
            cache.forEachBatch(config.batchSize(), random.split(), (x, labels, n) -> {
                float lr = learningRate.getNewValue(updates[0] + 1); // DJL counts the update being made from 1
                double[] gradW = new double[weight.length];
                double[] gradB = new double[classes];
                double loss = 0;
                long correct = 0;
                for (int i = 0; i < n; i++) {
                    int base = i * features;
                    double max = Double.NEGATIVE_INFINITY;
                    int argmax = 0;
                    for (int c = 0; c < classes; c++) {
                        double z = bias[c];
                        int row = c * features;
                        for (int f = 0; f < features; f++) {
                            z += weight[row + f] * x[base + f];
                        }
                        logits[c] = z;
                        if (z > max) {
                            max = z;
                            argmax = c;
                        }
                    }
                    double sum = 0;
                    for (int c = 0; c < classes; c++) {
                        logits[c] = Math.exp(logits[c] - max);
                        sum += logits[c];
                    }
                    int y = labels[i];
                    loss -= Math.log(logits[y] / sum);
                    if (argmax == y) {
                        correct++;
                    }
                    for (int c = 0; c < classes; c++) {
                        double d = logits[c] / sum - (c == y ? 1 : 0); // d loss / d logit, before the batch mean
                        gradB[c] += d;
                        int row = c * features;
                        for (int f = 0; f < features; f++) {
                            gradW[row + f] += d * x[base + f];
                        }
                    }
                }
                if (!Double.isFinite(loss)) {
                    throw new TrainingException("classifier loss became " + loss + " at epoch " + e
                            + ": lower the learning rate");
                }
                step(weight, weightVelocity, gradW, n, lr, config);
                step(bias, biasVelocity, gradB, n, lr, config);
                updates[0]++;
                lossSum[0] += loss;
                counts[0] += n;
                counts[1] += correct;
                counts[2]++;
                progress.batchDone(e, (int) counts[2], lossSum[0] / counts[0], 100.0 * counts[1] / counts[0]);
            });
            EpochMetrics metrics = new EpochMetrics(epoch, lossSum[0] / counts[0], 100.0 * counts[1] / counts[0],
                    learningRate.getNewValue(updates[0]), counts[0], (System.nanoTime() - start) / 1e9, null);
            progress.epochDone(metrics);
            history.add(metrics);
        }
        return history;
    }

    /** DJL's SGD with momentum on one tensor; {@code gradSum} is summed over the batch's {@code n} images. */
    private static void step(float[] w, float[] velocity, double[] gradSum, int n, float lr, SgdConfig config) {
        for (int i = 0; i < w.length; i++) {
            double g = lr * (gradSum[i] / n + config.weightDecay() * w[i]);
            velocity[i] = (float) (config.momentum() * velocity[i] + g);
            w[i] -= velocity[i];
        }
    }
}
