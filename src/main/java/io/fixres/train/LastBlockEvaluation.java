package io.fixres.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import io.fixres.core.ActivationHook;
import io.fixres.core.FixResNetwork;
import io.fixres.core.FixResScope;
import io.fixres.core.LastBatchNormMode;
import io.fixres.core.SwitchableBatchNorm;
import io.fixres.data.ImageDataset;
import io.fixres.eval.Accuracy;
import io.fixres.eval.InferencePass;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.eval.TopKCounter;
import io.fixres.model.CardTransforms;
import io.fixres.model.ModelCard;

/**
 * An evaluation at K that also keeps, for every test image, its last BatchNorm's input {@code x} and
 * the last block's pre-ReLU output {@code p} ({@link LastBlockCapture}). A fine-tuning that changes
 * only the last BatchNorm (statistics, gamma, beta) and the classifier, as the FixRes step, the
 * one-pass step and the last-BN recalibration do, is then measured on the same images without
 * another forward pass: the BatchNorm is affine in {@code x} in inference mode, so the tuned
 * network's pre-ReLU output is {@code p + (s' - s) x + (t' - t)} per channel (scale
 * {@code s = gamma / sqrt(var + eps)}, shift {@code t = beta - s mean}, before and after), its
 * features the spatial mean of the ReLU of that, its logits the tuned classifier's. A study that
 * fine-tunes one checkpoint several ways at K (the grid, the ablation) pays one evaluation pass at
 * K instead of one per fine-tuning (issue 11).
 *
 * <p>The accuracy after is the forward pass's up to float rounding (the classifier runs on the
 * host, in double): a top-1 decision can differ only where two logits tie to about 1e-6.
 */
public final class LastBlockEvaluation {
    private final ImageDataset images;
    private final int testResolution;
    private final ResolutionAccuracy untouched;
    private final LastBlockCapture capture;
    private final double[] scale;
    private final double[] shift;

    private LastBlockEvaluation(ImageDataset images, int testResolution, ResolutionAccuracy untouched,
                                LastBlockCapture capture, double[] scale, double[] shift) {
        this.images = images;
        this.testResolution = testResolution;
        this.untouched = untouched;
        this.capture = capture;
        this.scale = scale;
        this.shift = shift;
    }

    /**
     * Evaluates {@code net} (every BatchNorm in inference mode) at K on {@code test} with the card's
     * test transform, keeping the last block's activations while they fit in {@code budgetBytes} of
     * heap (beyond that it keeps nothing: {@link #complete()} is false and the caller evaluates
     * each fine-tuning itself).
     */
    public static LastBlockEvaluation measure(FixResNetwork net, NDManager manager, ModelCard card, ImageDataset test,
                                              int k, int batchSize, int loaderThreads, long budgetBytes,
                                              TrainingProgress progress) {
        net.checkResolution(k);
        // an installed adaptation would make the features something else than the ReLU's mean
        boolean keep = net.getActivationHook() == ActivationHook.IDENTITY;
        LastBlockCapture capture = keep ? new LastBlockCapture(budgetBytes) : null;
        SwitchableBatchNorm bn = net.lastBatchNorm();
        double[][] affine = affine(bn);
        TopKCounter counter = new TopKCounter(5);
        InferencePass pass = new InferencePass(net.block(), manager, batchSize, loaderThreads);
        ActivationHook installed = net.getActivationHook();
        try (FixResScope ignored = FixResScope.fineTuning(net, LastBatchNormMode.NONE)) {
            if (keep) {
                bn.setInputObserver(capture::observeInput);
                net.setActivationHook(capture);
            }
            progress.pass("evaluate at " + k + " px", test.size(), done -> {
                pass.run(test, CardTransforms.test(card, k), (logits, batch) -> {
                    counter.add(logits.toFloatArray(), batch.labels(), batch.size(), (int) logits.getShape().get(1));
                    if (keep) {
                        capture.batchDone(batch.labels(), batch.size());
                    }
                }, done);
                return null;
            });
        } finally {
            bn.setInputObserver(null);
            net.setActivationHook(installed);
        }
        return new LastBlockEvaluation(test, k, ResolutionAccuracy.of(k, counter.result()),
                keep && capture.complete() ? capture : null, affine[0], affine[1]);
    }

    /** The images it was measured on. */
    public ImageDataset images() {
        return images;
    }

    /** Top-1/top-5 at K of the network as it was measured. */
    public ResolutionAccuracy untouched() {
        return untouched;
    }

    /** True when every image's activations were kept, so {@link #after} needs no forward pass. */
    public boolean complete() {
        return capture != null;
    }

    /**
     * Top-1/top-5 at K of {@code tuned}: the measured network after a change of its last BatchNorm
     * and classifier only (the caller guarantees the rest is untouched), from the kept activations.
     *
     * @throws IllegalStateException when the activations were not kept ({@link #complete()} false)
     */
    public ResolutionAccuracy after(FixResNetwork tuned) {
        if (tuned.getActivationHook() != ActivationHook.IDENTITY) {
            throw new IllegalStateException("the tuned network has an activation hook: measure it with after(net, manager)");
        }
        return after(tuned, null);
    }

    /**
     * As {@link #after(FixResNetwork)}, for a network that may also carry an activation hook (a
     * distribution adaptation of supplement A, Table 4): the kept pre-ReLU output, corrected for the
     * last BatchNorm as above, goes through the hook's pre-ReLU map, the ReLU, the spatial mean and
     * the hook's pooled map on the engine ({@code manager}; one sub-manager per batch), then the
     * classifier: the tail of the network's forward, from the kept activations.
     *
     * @param manager where the hooked tail runs; unused (may be null) for the identity hook
     */
    public ResolutionAccuracy after(FixResNetwork tuned, NDManager manager) {
        if (capture == null) {
            throw new IllegalStateException("the activations at " + testResolution + " px were not kept: evaluate instead");
        }
        ActivationHook hook = tuned.getActivationHook();
        double[][] now = affine(tuned.lastBatchNorm());
        int channels = capture.channels();
        double[] a = new double[channels];
        double[] b = new double[channels];
        for (int c = 0; c < channels; c++) {
            a[c] = now[0][c] - scale[c];
            b[c] = now[1][c] - shift[c];
        }
        float[] weight = tuned.classifierParameters().get(0).getArray().toFloatArray();
        float[] bias = tuned.classifierParameters().size() > 1
                ? tuned.classifierParameters().get(1).getArray().toFloatArray() : null;
        int classes = weight.length / channels;
        TopKCounter counter = new TopKCounter(5);
        for (int i = 0; i < capture.batches(); i++) {
            int n = capture.batchSize(i);
            float[] features = hook == ActivationHook.IDENTITY ? capture.pooled(i, a, b)
                    : hookedFeatures(hook, manager, i, n, a, b);
            float[] logits = new float[n * classes];
            for (int s = 0; s < n; s++) {
                for (int j = 0; j < classes; j++) {
                    double z = bias == null ? 0 : bias[j];
                    for (int c = 0; c < channels; c++) {
                        z += (double) weight[j * channels + c] * features[s * channels + c];
                    }
                    logits[s * classes + j] = (float) z;
                }
            }
            counter.add(logits, capture.labels(i), n, classes);
        }
        Accuracy accuracy = counter.result();
        return ResolutionAccuracy.of(testResolution, accuracy);
    }

    /** Batch {@code i}'s features through {@code hook}: the network's tail after the last BatchNorm. */
    private float[] hookedFeatures(ActivationHook hook, NDManager manager, int i, int n, double[] a, double[] b) {
        try (NDManager batch = manager.newSubManager()) {
            NDArray preReLU = batch.create(capture.preReLU(i, a, b),
                    new Shape(n, capture.channels(), capture.height(), capture.width()));
            // DJL's PyTorch mean takes one axis: the positions flattened into one
            NDArray pooled = Activation.relu(hook.preReLU(preReLU)).reshape(n, capture.channels(), -1).mean(new int[] {2});
            return hook.pooled(pooled).toFloatArray();
        }
    }

    /** The BatchNorm in inference mode as scale and shift per channel: {@code y = scale x + shift}. */
    private static double[][] affine(SwitchableBatchNorm bn) {
        float[] gamma = bn.gamma().getArray().toFloatArray();
        float[] beta = bn.beta().getArray().toFloatArray();
        float[] mean = bn.runningMean().getArray().toFloatArray();
        float[] var = bn.runningVar().getArray().toFloatArray();
        double[] scale = new double[gamma.length];
        double[] shift = new double[gamma.length];
        for (int c = 0; c < gamma.length; c++) {
            scale[c] = gamma[c] / Math.sqrt(var[c] + (double) bn.epsilon());
            shift[c] = beta[c] - scale[c] * mean[c];
        }
        return new double[][] {scale, shift};
    }
}
