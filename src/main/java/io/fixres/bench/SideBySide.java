package io.fixres.bench;

import ai.djl.engine.Engine;
import io.fixres.model.ResNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * fixres against PyTorch on the same machine, in one invocation: the same network, resolution,
 * batch and threads; each round measures fixres's phases, then PyTorch's (a child process while
 * this JVM waits), so slow drifts of the machine's load hit both sides alike. Ratios of medians.
 *
 * <p>Closeness to the hardware: the model's achieved GFLOP/s (FLOPs per image from the architecture
 * times images/s; a training step counts 3 forward passes: forward, input gradients, weight
 * gradients; the FixRes step 1, its trunk being frozen) against each side's matrix-multiply rate.
 */
public final class SideBySide {
    /** The phases compared, with the forward passes of FLOPs each image costs. */
    public enum Phase {
        FORWARD("forward", "forward only (inference)", 1),
        TRAIN_STEP("train_step", "training step (all layers)", 3),
        FINETUNE_STEP("finetune_step", "FixRes fine-tuning step", 1);

        final String id;
        final String label;
        final int forwardPasses;

        Phase(String id, String label, int forwardPasses) {
            this.id = id;
            this.label = label;
            this.forwardPasses = forwardPasses;
        }

        public String label() { return label; }

        public String id() { return id; }

        public static Phase fromId(String id) {
            return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("unknown phase '" + id + "', expected forward, train_step or finetune_step"));
        }
    }

    /** Medians over rounds of one phase on both sides. */
    public record Row(Phase phase, double fixresImagesPerSecond, double torchImagesPerSecond,
                      double fixresGflops, double torchGflops, double fixresShareOfMatmul, double torchShareOfMatmul) {
        public double ratio() {
            return fixresImagesPerSecond / torchImagesPerSecond;
        }
    }

    /** The whole comparison. */
    public record Result(List<Row> rows, double fixresMatmulGflops, double torchMatmulGflops,
                         String fixresEngine, String torchVersion, String torchBlas, int threads, int rounds,
                         double gflopsPerImage, String loadBefore, String loadAfter, String allocator) {}

    private final PipelineBenchmark fixres;
    private final TorchReference torch;
    private final int resolution;
    private final int batch;
    private final int threads;
    private final double seconds;

    public SideBySide(PipelineBenchmark fixres, TorchReference torch, int resolution, int batch, int threads, double seconds) {
        this.fixres = fixres;
        this.torch = torch;
        this.resolution = resolution;
        this.batch = batch;
        this.threads = threads;
        this.seconds = seconds;
    }

    /** Runs {@code rounds} interleaved rounds; {@code log} receives one line per measurement. */
    public Result run(int rounds, int matmulSize, List<Phase> phases, Consumer<String> log) throws IOException {
        String loadBefore = loadAverage();
        Map<Phase, List<Double>> ours = new LinkedHashMap<>();
        Map<Phase, List<Double>> theirs = new LinkedHashMap<>();
        List<Double> ourMatmul = new ArrayList<>();
        List<Double> theirMatmul = new ArrayList<>();
        TorchReference.Run last = null;
        List<String> ids = phases.stream().map(p -> p.id).toList();
        for (int r = 1; r <= rounds; r++) {
            for (Phase phase : phases) {
                PipelineBenchmark.Phase measured = switch (phase) {
                    case FORWARD -> fixres.forward();
                    case TRAIN_STEP -> fixres.trainStep();
                    case FINETUNE_STEP -> fixres.fineTuneStep();
                };
                ours.computeIfAbsent(phase, k -> new ArrayList<>()).add(measured.imagesPerSecond());
                log.accept(String.format(java.util.Locale.ROOT, "round %d fixres  %-28s %9.1f images/s", r, phase.label,
                        measured.imagesPerSecond()));
            }
            ourMatmul.add(fixres.matmulGflops(matmulSize));
            last = torch.measure(fixres.network(), resolution, batch, threads, seconds, ids, matmulSize);
            for (Phase phase : phases) {
                double v = last.imagesPerSecond().get(phase.id);
                theirs.computeIfAbsent(phase, k -> new ArrayList<>()).add(v);
                log.accept(String.format(java.util.Locale.ROOT, "round %d PyTorch %-28s %9.1f images/s", r, phase.label, v));
            }
            theirMatmul.add(last.matmulGflops());
        }
        ResNet net = fixres.network();
        double gflopsPerImage = net.forwardFlops(resolution) / 1e9;
        double ourCeiling = median(ourMatmul);
        double theirCeiling = median(theirMatmul);
        List<Row> rows = new ArrayList<>();
        for (Phase phase : phases) {
            double a = median(ours.get(phase));
            double b = median(theirs.get(phase));
            double ga = a * gflopsPerImage * phase.forwardPasses;
            double gb = b * gflopsPerImage * phase.forwardPasses;
            rows.add(new Row(phase, a, b, ga, gb, ga / ourCeiling, gb / theirCeiling));
        }
        return new Result(rows, ourCeiling, theirCeiling, "libtorch " + Engine.getInstance().getVersion(),
                last.torchVersion(), last.blas(), threads, rounds, gflopsPerImage, loadBefore, loadAverage(), allocator());
    }

    /** The allocator both sides run on (the Python child inherits this process's environment). */
    public static String allocator() {
        String preload = System.getenv("LD_PRELOAD");
        if (preload != null && preload.contains("tcmalloc")) {
            return "tcmalloc";
        }
        return preload == null || preload.isBlank() ? "glibc malloc" : preload;
    }

    /** The 1, 5 and 15 minute load averages, to print beside every figure. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
