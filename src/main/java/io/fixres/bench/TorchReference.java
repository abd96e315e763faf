package io.fixres.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.fixres.io.Json;
import io.fixres.model.Architecture;
import io.fixres.model.ResNet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * PyTorch's side of a side-by-side benchmark: the same network (built from the same torchvision
 * topology, layer for layer), resolution, batch and thread count, measured by a Python process
 * ({@code torch_reference.py}) while this JVM waits, so the two never share the cores.
 */
public final class TorchReference {
    /** What one PyTorch run measured. */
    public record Run(String torchVersion, String blas, int threads, Map<String, Double> imagesPerSecond, double matmulGflops) {}

    private final String python;
    private final Path script;

    private TorchReference(String python, Path script) {
        this.python = python;
        this.script = script;
    }

    /**
     * Checks that {@code python} imports torch and torchvision; the message says how to install them
     * (Debian: python3-torch python3-torchvision; the first python3 on PATH may be another interpreter).
     */
    public static TorchReference open(String python, Path workDir) throws IOException {
        Path script = workDir.resolve("torch_reference.py");
        try (InputStream in = TorchReference.class.getResourceAsStream("torch_reference.py")) {
            Files.write(script, in.readAllBytes());
        }
        String probe = run(List.of(python, "-c", "import torch, torchvision; print(torch.__version__)"), 120);
        if (probe == null) {
            throw new IllegalArgumentException(python + " cannot import torch and torchvision; install them "
                    + "(Debian/Ubuntu: apt-get install -y python3-torch python3-torchvision, then use /usr/bin/python3)");
        }
        return new TorchReference(python, script);
    }

    /** The JSON spec the script builds its network from: exactly {@code net}'s layers. */
    static Map<String, Object> spec(ResNet net) {
        Architecture a = net.architectureSpec();
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("block", a.blockKind() == Architecture.BlockKind.BASIC ? "basic" : "bottleneck");
        spec.put("channels", net.inputChannels());
        spec.put("classes", net.numClasses());
        spec.put("stem", List.of(a.stem().kernel(), a.stem().stride(), a.stem().padding()));
        spec.put("stem_width", net.stemWidth());
        spec.put("max_pool", a.maxPool().map(p -> List.of(p.kernel(), p.stride(), p.padding())).orElse(null));
        List<Integer> widths = new ArrayList<>();
        List<Integer> blocks = new ArrayList<>();
        List<Integer> strides = new ArrayList<>();
        for (int s = 0; s < a.stageCount(); s++) {
            widths.add(net.stageWidth(s));
            blocks.add(a.blocksInStage(s));
            strides.add(a.stageStride(s));
        }
        spec.put("widths", widths);
        spec.put("blocks", blocks);
        spec.put("strides", strides);
        return spec;
    }

    /** Measures {@code phases} (forward, train_step, finetune_step) and the matmul ceiling in one Python process. */
    public Run measure(ResNet net, int resolution, int batch, int threads, double seconds, List<String> phases,
                       int matmulSize) throws IOException {
        Map<String, Object> spec = spec(net);
        spec.put("res", resolution);
        spec.put("batch", batch);
        spec.put("threads", threads);
        spec.put("seconds", seconds);
        spec.put("warmup", 2);
        List<String> all = new ArrayList<>(phases);
        all.add("matmul");
        spec.put("phases", all);
        spec.put("matmul_size", matmulSize);
        String out = run(List.of(python, script.toString(), Json.mapper().writeValueAsString(spec)),
                (long) (120 + 10 * seconds * all.size()));
        if (out == null) {
            throw new IOException("the PyTorch reference run failed (" + python + " " + script + ")");
        }
        JsonNode json = Json.mapper().readTree(out);
        Map<String, Double> rates = new LinkedHashMap<>();
        for (String phase : phases) {
            rates.put(phase, json.path("phases").path(phase).path("images_per_second").asDouble(Double.NaN));
        }
        return new Run(json.path("torch").asText(), json.path("blas").asText(), json.path("threads").asInt(),
                rates, json.path("phases").path("matmul").path("gflops").asDouble(Double.NaN));
    }

    /** Runs a process to completion; its stdout's last line, or null when it failed (stderr is passed through). */
    private static String run(List<String> command, long timeoutSeconds) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return null; // no such interpreter
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command.get(0), e);
        }
        if (p.exitValue() != 0 || out.isEmpty()) {
            return null;
        }
        String[] lines = out.split("\n");
        return lines[lines.length - 1];
    }
}
