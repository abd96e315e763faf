package io.fixres.cli;

import ai.djl.Model;
import io.fixres.data.DataSplits;
import io.fixres.data.ImageDataset;
import io.fixres.bench.MemoryUse;
import io.fixres.bench.PhaseRounds;
import io.fixres.bench.PipelineBenchmark;
import io.fixres.bench.PipelineBottleneck;
import io.fixres.bench.SideBySide;
import io.fixres.bench.TorchReference;
import java.util.Locale;
import io.fixres.model.Checkpoint;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import io.fixres.io.Json;
import io.fixres.report.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Throughput of the input pipeline against the model, in images/s: decode + transform alone",
            "(1 and N threads), forward alone on ready tensors, the whole evaluation, a fine-tuning step alone and",
            "the whole fine-tuning loop; then what limits the evaluation. --soak-seconds repeats the evaluation",
            "and samples memory (RSS, heap after GC) to show it stays flat. Uses the test split of --data."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "ARCH|DIR", required = true,
            description = "A checkpoint directory, or an architecture (${COMPLETION-CANDIDATES}) with random weights.",
            completionCandidates = DescribeCommand.ArchitectureIds.class)
    String model;

    @Mixin DataOptions data;
    @Mixin EngineOptions engine;

    @Option(names = "--res", paramLabel = "K", required = true, description = "Test resolution (resize floor(K/0.875), centre crop K).")
    int resolution;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "32", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "10", description = "Measured seconds per phase (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "1",
            description = "Repeat the phases R times, interleaved, and compare medians (default ${DEFAULT-VALUE});"
                    + " use 3 or more on a machine shared with other work.")
    int rounds;

    @Option(names = "--soak-seconds", paramLabel = "S", defaultValue = "0",
            description = "Then repeat the evaluation this long, sampling memory 10 times (default 0: no soak).")
    double soakSeconds;

    @Option(names = "--no-finetune", description = "Skip the two fine-tuning phases.")
    boolean noFinetune;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    @Option(names = "--vs-pytorch", paramLabel = "PYTHON", arity = "0..1", fallbackValue = "/usr/bin/python3",
            description = {"Side by side with PyTorch instead: the same network, resolution, batch and threads; forward,"
                    + " training step and FixRes step on ready tensors, interleaved in --rounds, with the ratios and"
                    + " GFLOP/s against each side's matrix-multiply rate. PYTHON must import torch and torchvision"
                    + " (default /usr/bin/python3)."})
    String vsPytorch;

    @Option(names = "--phases", paramLabel = "P,...", split = ",", defaultValue = "forward,train_step,finetune_step",
            description = "With --vs-pytorch: the phases compared (default ${DEFAULT-VALUE}).")
    List<String> comparedPhases;

    @Option(names = "--matmul-size", paramLabel = "N", defaultValue = "2048",
            description = "Side of the square matrix product that measures the engine's GFLOP/s ceiling (default ${DEFAULT-VALUE}).")
    int matmulSize;

    @Override
    public Integer call() throws Exception {
        DataSplits splits = data.load(engine.seed());
        ImageDataset images = splits.test();
        try (Model djl = Model.newInstance("fixres-bench")) {
            Path dir = Path.of(model);
            ResNet net;
            ModelCard card;
            if (Files.isDirectory(dir)) {
                Checkpoint.LoadedModel loaded = Checkpoint.load(dir, djl.getNDManager());
                net = loaded.net();
                card = loaded.card();
            } else {
                net = ResNet.builder().architecture(model).numClasses(images.numClasses())
                        .inputChannels(images.channels()).build();
                net.initialize(djl.getNDManager(), resolution);
                card = ModelCard.forModel(net);
                card.setMean(toDoubles(splits.normalization().mean()));
                card.setStd(toDoubles(splits.normalization().std()));
            }
            djl.setBlock(net);
            System.err.printf("fixres bench: %s at %d px, batch %d, %d threads, %s (%d images), %.0f s per phase%n",
                    model, resolution, batchSize, engine.threads(), splits.name(), images.size(), seconds);
            PipelineBenchmark bench = PipelineBenchmark.builder(djl, net, card, images).resolution(resolution)
                    .batchSize(batchSize).threads(engine.threads()).secondsPerPhase(seconds).build();

            if (rounds < 1) {
                throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
            }
            if (vsPytorch != null) {
                return sideBySide(bench, net);
            }
            Map<String, List<PipelineBenchmark.Phase>> measured = new LinkedHashMap<>();
            for (int round = 1; round <= rounds; round++) {
                if (rounds > 1) {
                    System.err.printf("round %d/%d%n", round, rounds);
                }
                run(measured, "decode1", bench.decode(1));
                if (engine.threads() > 1) {
                    run(measured, "decodeN", bench.decode(engine.threads()));
                }
                run(measured, "forward", bench.forward());
                run(measured, "evaluation", bench.evaluation());
                if (!noFinetune) {
                    run(measured, "step", bench.fineTuneStep());
                    run(measured, "finetuning", bench.fineTuning());
                }
            }
            List<PipelineBenchmark.MemorySample> soak = soakSeconds > 0 ? bench.soak(soakSeconds, 10) : List.of();
            Map<String, PhaseRounds> phases = new LinkedHashMap<>();
            measured.forEach((key, list) -> phases.put(key, new PhaseRounds(list.get(0).name(), list)));
            PhaseRounds decodeN = phases.getOrDefault("decodeN", phases.get("decode1"));
            PipelineBottleneck bottleneck = new PipelineBottleneck(phases.get("decode1").medianImagesPerSecond(),
                    decodeN.medianImagesPerSecond(), phases.get("forward").medianImagesPerSecond(),
                    phases.get("evaluation").medianImagesPerSecond(), engine.threads());

            System.out.print(table(phases.values()).toText());
            System.out.printf("evaluation / forward only: %.1f%%%n", 100 * bottleneck.endToEndShare());
            System.out.println("limit: " + bottleneck.verdict());
            if (!soak.isEmpty()) {
                System.out.print(soakTable(soak).toText());
            }
            if (json != null) {
                Json.write(json, jsonResult(phases.values(), bottleneck, soak, splits.name(), images.size()));
            }
        }
        return 0;
    }

    private int sideBySide(PipelineBenchmark bench, ResNet net) throws Exception {
        Path work = Files.createTempDirectory("fixres-bench");
        try {
            TorchReference torch = TorchReference.open(vsPytorch, work);
            SideBySide.Result r = new SideBySide(bench, torch, resolution, batchSize, engine.threads(), seconds)
                    .run(rounds, matmulSize, comparedPhases.stream().map(SideBySide.Phase::fromId).toList(),
                            line -> System.err.println("  " + line));
            Table t = new Table(String.format(Locale.ROOT,
                    "fixres (%s) vs PyTorch %s (BLAS %s): %s at %d px, batch %d, %d threads, median of %d rounds;"
                            + " %.4g GFLOP per image forward; both on %s, oneDNN ISA %s; load average %s before, %s after",
                    r.fixresEngine(), r.torchVersion(), r.torchBlas(), net.architecture(), resolution, batchSize,
                    r.threads(), r.rounds(), r.gflopsPerImage(), r.allocator(),
                    System.getenv().getOrDefault("ONEDNN_MAX_CPU_ISA", "all (default)"), r.loadBefore(), r.loadAfter()),
                    "phase", "fixres images/s", "PyTorch images/s", "fixres / PyTorch",
                    "fixres GFLOP/s", "PyTorch GFLOP/s", "fixres % of matmul", "PyTorch % of matmul");
            for (SideBySide.Row row : r.rows()) {
                t.row(row.phase().label(), row.fixresImagesPerSecond(), row.torchImagesPerSecond(), String.format(Locale.ROOT, "%.2f", row.ratio()),
                        row.fixresGflops(), row.torchGflops(), 100 * row.fixresShareOfMatmul(), 100 * row.torchShareOfMatmul());
            }
            t.row("matrix multiply " + matmulSize + "^2 (GFLOP/s)", r.fixresMatmulGflops(), r.torchMatmulGflops(),
                    String.format(Locale.ROOT, "%.2f", r.fixresMatmulGflops() / r.torchMatmulGflops()), r.fixresMatmulGflops(), r.torchMatmulGflops(), 100.0, 100.0);
            System.out.print(t.toText());
            if (json != null) {
                Json.write(json, r);
            }
            return 0;
        } finally {
            try (var files = Files.list(work)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(work);
        }
    }

    private static void run(Map<String, List<PipelineBenchmark.Phase>> measured, String key, PipelineBenchmark.Phase phase) {
        System.err.printf("  %-40s %10.1f images/s%n", phase.name(), phase.imagesPerSecond());
        measured.computeIfAbsent(key, k -> new ArrayList<>()).add(phase);
    }

    static Table table(Collection<PhaseRounds> phases) {
        Table t = new Table("Throughput (median over rounds)", "phase", "images/s", "min", "max", "images", "seconds",
                "RSS MiB before", "RSS MiB after", "heap MiB after");
        for (PhaseRounds p : phases) {
            long images = p.rounds().stream().mapToLong(PipelineBenchmark.Phase::images).sum();
            double seconds = p.rounds().stream().mapToDouble(PipelineBenchmark.Phase::seconds).sum();
            t.row(p.name(), p.medianImagesPerSecond(), p.minImagesPerSecond(), p.maxImagesPerSecond(), images, seconds,
                    p.first().before().rssMiB(), p.last().after().rssMiB(), p.last().after().heapMiB());
        }
        return t;
    }

    static Table soakTable(List<PipelineBenchmark.MemorySample> soak) {
        Table t = new Table("Memory over the soak loop (evaluation repeated)", "seconds", "images", "RSS MiB", "heap MiB");
        for (PipelineBenchmark.MemorySample s : soak) {
            t.row(s.seconds(), s.images(), s.memory().rssMiB(), s.memory().heapMiB());
        }
        return t;
    }

    private Map<String, Object> jsonResult(Collection<PhaseRounds> phases, PipelineBottleneck bottleneck,
                                           List<PipelineBenchmark.MemorySample> soak, String dataName, int dataSize) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model);
        out.put("data", dataName);
        out.put("images_in_data", dataSize);
        out.put("res", resolution);
        out.put("batch_size", batchSize);
        out.put("threads", engine.threads());
        out.put("seconds_per_phase", seconds);
        out.put("rounds", rounds);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PhaseRounds phase : phases) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("phase", phase.name());
            summary.put("median_images_per_second", phase.medianImagesPerSecond());
            List<Map<String, Object>> perRound = new ArrayList<>();
            for (PipelineBenchmark.Phase p : phase.rounds()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("images_per_second", p.imagesPerSecond());
                row.put("images", p.images());
                row.put("batches", p.batches());
                row.put("seconds", p.seconds());
                row.put("memory_before", memory(p.before()));
                row.put("memory_after", memory(p.after()));
                perRound.add(row);
            }
            summary.put("rounds", perRound);
            rows.add(summary);
        }
        out.put("phases", rows);
        out.put("evaluation_over_forward", bottleneck.endToEndShare());
        out.put("predicted_shared_cores_over_forward", bottleneck.predictedSharedCores() / bottleneck.forward());
        out.put("limit", bottleneck.verdict());
        List<Map<String, Object>> samples = new ArrayList<>();
        for (PipelineBenchmark.MemorySample s : soak) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("seconds", s.seconds());
            row.put("images", s.images());
            row.putAll(memory(s.memory()));
            samples.add(row);
        }
        out.put("soak", samples);
        return out;
    }

    private static Map<String, Object> memory(MemoryUse m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rss_mib", m.rssMiB());
        out.put("heap_mib", m.heapMiB());
        return out;
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
