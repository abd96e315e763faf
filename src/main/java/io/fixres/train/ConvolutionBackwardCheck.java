package io.fixres.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import io.fixres.model.ConvLayer;
import io.fixres.model.ResNet;
import io.fixres.model.SpatialGeometry;
import java.util.Arrays;

/**
 * Refuses to train through convolutions when the engine computes their input gradient wrongly.
 *
 * <p>libtorch 2.7.1 (the PyTorch build DJL 0.36 ships) runs float convolutions through oneDNN.
 * On CPUs with AVX-512 (seen on AMD EPYC, family 26), oneDNN's AVX-512 backward-data kernel
 * returns a different input gradient on every call for channel counts that are not a multiple of
 * 16, now and then NaN: it reads memory nobody wrote. The forward pass and the weight gradient are
 * exact, so inference and the FixRes fine-tuning (trunk frozen) are unaffected; training from
 * scratch gets garbage gradients (resnet-small at width 0.25 has 8-channel convolutions). Capping
 * oneDNN at AVX2 ({@code ONEDNN_MAX_CPU_ISA=AVX2} in the environment before the engine loads, as the
 * {@code fixres} launcher does for {@code train}, {@code grid} and {@code timing}) gives exact,
 * repeatable gradients.
 *
 * <p>{@link #require(ResNet)} probes every distinct convolution of the network to be trained (its
 * channels, kernel, stride and padding; not the stem, whose input needs no gradient), each input
 * gradient computed {@value #REPETITIONS} times on the same inputs: a network whose convolutions
 * all pass trains at the engine's full ISA (resnet-small at widths 0.5 and 1.0, 16 to 128 channels,
 * which {@code reproduce} trains), one that does not is refused with the advice above. It costs
 * milliseconds, once per configuration per JVM.
 */
public final class ConvolutionBackwardCheck {
    static final int REPETITIONS = 8;
    /** Verdicts by convolution configuration ("in->out kxk/s pp"), "" when fine. */
    private static final java.util.Map<String, String> VERDICTS = new java.util.concurrent.ConcurrentHashMap<>();

    private ConvolutionBackwardCheck() {}

    /**
     * Probes each distinct convolution of {@code net} whose input gradient training computes;
     * throws {@link TrainingException} naming the first one the engine gets wrong.
     */
    public static void require(ResNet net) {
        for (ConvLayer conv : gradientConvolutions(net)) {
            SpatialGeometry g = conv.geometry();
            String config = conv.inChannels() + "->" + conv.outChannels() + " " + g.kernel() + "x" + g.kernel()
                    + "/" + g.stride() + " p" + g.padding();
            String problem = VERDICTS.computeIfAbsent(config, c -> probe(() -> inputGradient(conv.inChannels(),
                    conv.outChannels(), g.kernel(), g.stride(), g.padding()), "the " + c + " convolution"));
            if (!problem.isEmpty()) {
                throw new TrainingException(problem);
            }
        }
    }

    /** The network's convolutions other than its stem, one per distinct configuration, in network order. */
    static java.util.List<ConvLayer> gradientConvolutions(ResNet net) {
        java.util.List<ConvLayer> all = new java.util.ArrayList<>();
        net.getChildren().values().forEach(child -> {
            if (!(child instanceof ConvLayer)) { // the network's own convolution is its stem: its input is the image
                collect(child, all);
            }
        });
        java.util.Map<String, ConvLayer> byConfig = new java.util.LinkedHashMap<>();
        all.forEach(c -> byConfig.putIfAbsent(c.inChannels() + "/" + c.outChannels() + "/" + c.geometry().kernel()
                + "/" + c.geometry().stride() + "/" + c.geometry().padding(), c));
        return java.util.List.copyOf(byConfig.values());
    }

    private static void collect(ai.djl.nn.Block block, java.util.List<ConvLayer> out) {
        if (block instanceof ConvLayer conv) {
            out.add(conv);
        } else {
            block.getChildren().values().forEach(child -> collect(child, out));
        }
    }

    /** "" when {@value #REPETITIONS} input gradients of the probe convolution are finite and identical, else why not. */
    static String probe() {
        return probe(ConvolutionBackwardCheck::probeInputGradient, "a convolution");
    }

    private static String probe(java.util.function.Supplier<float[]> inputGradient, String what) {
        float[] first = null;
        for (int i = 0; i < REPETITIONS; i++) {
            float[] gradient = inputGradient.get();
            for (float v : gradient) {
                if (!Float.isFinite(v)) {
                    return failure("a non-finite value in the input gradient of " + what);
                }
            }
            if (first == null) {
                first = gradient;
            } else if (!Arrays.equals(first, gradient)) {
                return failure("different input gradients for " + what + " on the same inputs");
            }
        }
        return "";
    }

    /** d(sum(y^2))/dx for y = conv2d(x, w), 16 x 8 x 8 x 8 input, 8 x 8 x 3 x 3 weight, fixed values. */
    static float[] probeInputGradient() {
        return inputGradient(8, 8, 3, 1, 1);
    }

    /** d(sum(y^2))/dx for y = conv2d(x, w) on a fixed 16 x in x 8 x 8 input and out x in x k x k weight. */
    static float[] inputGradient(int in, int out, int kernel, int stride, int padding) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.arange(16 * in * 8 * 8).toType(DataType.FLOAT32, false)
                    .reshape(16, in, 8, 8).mul(0.37f).sin();
            NDArray w = manager.arange(out * in * kernel * kernel).toType(DataType.FLOAT32, false)
                    .reshape(out, in, kernel, kernel).mul(0.91f).cos().mul(0.1f);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = Conv2d.conv2d(x, w, null, new Shape(stride, stride), new Shape(padding, padding))
                        .singletonOrThrow();
                collector.backward(y.mul(y).sum());
            }
            return x.getGradient().toFloatArray();
        }
    }

    private static String failure(String symptom) {
        String isa = System.getenv("ONEDNN_MAX_CPU_ISA");
        return "the engine computes wrong convolution gradients on this machine (" + symptom + ", "
                + REPETITIONS + " repetitions; ONEDNN_MAX_CPU_ISA=" + (isa == null ? "unset" : isa)
                + "): libtorch's oneDNN AVX-512 backward kernel misbehaves for channel counts that are not a "
                + "multiple of 16. Start the JVM with ONEDNN_MAX_CPU_ISA=AVX2 in its environment (the fixres "
                + "launcher does for train, grid and timing); see docs/djl-notes.md";
    }
}
