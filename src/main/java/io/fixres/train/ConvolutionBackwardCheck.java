package io.fixres.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
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
 * {@code fixres} launcher and the Maven build do) gives exact, repeatable gradients.
 *
 * <p>The probe is one such convolution (8 to 8 channels, 3x3), its input gradient computed
 * {@value #REPETITIONS} times on the same inputs; it costs a few milliseconds, once per JVM.
 */
public final class ConvolutionBackwardCheck {
    static final int REPETITIONS = 8;
    private static volatile String verdict; // null: not probed yet; "": fine; else the problem

    private ConvolutionBackwardCheck() {}

    /** Probes the engine once per JVM; throws {@link TrainingException} if its convolution input gradient is wrong. */
    public static void require() {
        String problem = verdict;
        if (problem == null) {
            synchronized (ConvolutionBackwardCheck.class) {
                if (verdict == null) {
                    verdict = probe();
                }
                problem = verdict;
            }
        }
        if (!problem.isEmpty()) {
            throw new TrainingException(problem);
        }
    }

    /** "" when {@value #REPETITIONS} input gradients of the probe convolution are finite and identical, else why not. */
    static String probe() {
        float[] first = null;
        for (int i = 0; i < REPETITIONS; i++) {
            float[] gradient = probeInputGradient();
            for (float v : gradient) {
                if (!Float.isFinite(v)) {
                    return failure("a non-finite value in the input gradient of a convolution");
                }
            }
            if (first == null) {
                first = gradient;
            } else if (!Arrays.equals(first, gradient)) {
                return failure("different input gradients for the same convolution on the same inputs");
            }
        }
        return "";
    }

    /** d(sum(y^2))/dx for y = conv2d(x, w), 16 x 8 x 8 x 8 input, 8 x 8 x 3 x 3 weight, fixed values. */
    static float[] probeInputGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.arange(16 * 8 * 8 * 8).toType(DataType.FLOAT32, false)
                    .reshape(16, 8, 8, 8).mul(0.37f).sin();
            NDArray w = manager.arange(8 * 8 * 9).toType(DataType.FLOAT32, false)
                    .reshape(8, 8, 3, 3).mul(0.91f).cos().mul(0.1f);
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
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
                + "launcher does); see docs/djl-notes.md";
    }
}
