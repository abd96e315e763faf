package io.fixres.bench;

import io.fixres.io.InvalidParameterException;

import io.fixres.core.FixResScope;
import io.fixres.core.LastBatchNormMode;
import io.fixres.core.TrainingStep;

import io.fixres.eval.AccuracyEvaluator;
import io.fixres.model.CardTransforms;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.fixres.data.Batch;
import io.fixres.data.BatchArrays;
import io.fixres.data.BatchLoader;
import io.fixres.data.ImageDataset;
import io.fixres.model.BatchNorm2d;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import io.fixres.transform.Transform;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Throughput of the input pipeline against the model (issue: "the pipeline is never the
 * bottleneck"). Each phase runs for a time budget after a few warm-up batches and counts images:
 * decode + transform alone (the loader, no model), the forward alone on a ready tensor, the whole
 * evaluation (loader + forward, as {@link AccuracyEvaluator} runs it), a fine-tuning step alone on
 * a ready tensor and the whole fine-tuning loop. All phases use the card's test transform at the
 * given resolution. A soak phase repeats the evaluation and samples memory, to show it stays flat.
 *
 * <p>The fine-tuning phases use a minimal FixRes-like step of their own (trunk frozen and in
 * inference mode, last BatchNorm in training mode, SGD on the classifier): what matters here is
 * the cost of a step, not the recipe. They modify the classifier and the last BN's statistics,
 * so run them last and do not save the network afterwards.
 */
public final class PipelineBenchmark {

    /** One measured phase; images and seconds exclude the warm-up batches. */
    public record Phase(String name, long images, int batches, double seconds, MemoryUse before, MemoryUse after) {
        public double imagesPerSecond() { return seconds > 0 ? images / seconds : Double.NaN; }
    }

    /** Memory at one moment of the soak loop. */
    public record MemorySample(double seconds, long images, MemoryUse memory) {}

    private final Model model;
    private final ResNet net;
    private final ImageDataset data;
    private final Transform transform;
    private final int batchSize;
    private final int threads;
    private final double secondsPerPhase;
    private final int warmupBatches;

    private PipelineBenchmark(Builder b) {
        this.model = b.model;
        this.net = b.net;
        this.data = b.data;
        this.transform = CardTransforms.test(b.card, b.resolution);
        this.batchSize = b.batchSize;
        this.threads = b.threads;
        this.secondsPerPhase = b.secondsPerPhase;
        this.warmupBatches = b.warmupBatches;
        net.checkResolution(b.resolution);
    }

    /** {@code model}'s block must be {@code net}, initialised; {@code card} gives the test transform. */
    public static Builder builder(Model model, ResNet net, ModelCard card, ImageDataset data) {
        return new Builder(model, net, card, data);
    }

    // ---------------------------------------------------------------- phases

    /** Decode + transform + batch assembly with {@code decoderThreads} threads, nothing else. */
    public Phase decode(int decoderThreads) {
        return loaderPhase("decode+transform (" + decoderThreads + " thread" + (decoderThreads == 1 ? "" : "s") + ")",
                decoderThreads, false, batch -> { });
    }

    /** The model's inference forward, repeated on one ready batch. */
    public Phase forward() {
        Batch ready = firstBatch(false);
        ParameterStore store = new ParameterStore(model.getNDManager(), false);
        return tensorPhase("forward only (ready tensors)", ready, () -> inference(store, ready));
    }

    /** Loader and forward together, as an evaluation runs. */
    public Phase evaluation() {
        ParameterStore store = new ParameterStore(model.getNDManager(), false);
        return loaderPhase("evaluation (decode + forward)", threads, false, batch -> inference(store, batch));
    }

    /** Repeats the evaluation for {@code seconds}, taking {@code samples} memory readings spread over it. */
    public List<MemorySample> soak(double seconds, int samples) {
        ParameterStore store = new ParameterStore(model.getNDManager(), false);
        List<MemorySample> out = new ArrayList<>();
        out.add(new MemorySample(0, 0, MemoryUse.measure()));
        double every = seconds / Math.max(1, samples);
        long[] images = {0};
        long start = System.nanoTime();
        double[] nextSample = {every};
        runLoader(threads, false, seconds, 0, batch -> {
            inference(store, batch);
            images[0] += batch.size();
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (elapsed >= nextSample[0]) {
                out.add(new MemorySample(elapsed, images[0], MemoryUse.measure()));
                nextSample[0] += every;
            }
        });
        return out;
    }

    /** One fine-tuning step (forward in training mode, backward, SGD update), repeated on one ready batch. */
    public Phase fineTuneStep() {
        Batch ready = firstBatch(true);
        try (FrozenTrunkStep step = new FrozenTrunkStep()) {
            return tensorPhase("fine-tune step only (ready tensors)", ready, () -> step.apply(ready));
        }
    }

    /** One full training step (every parameter trained, BatchNorms on batch statistics), repeated on one ready batch. */
    public Phase trainStep() {
        Batch ready = firstBatch(true);
        try (FixResScope scope = FixResScope.fullTraining(net);
             TrainingStep step = new TrainingStep(net, model.getNDManager(), benchmarkSgd())) {
            return tensorPhase("training step only (ready tensors)", ready, () -> step.run(ready));
        }
    }

    /**
     * The engine's matrix-multiply rate on the same threads, in GFLOP/s: an n x n by n x n product
     * (2 n^3 operations) repeated for the phase's time; the practical ceiling a convolution reaches.
     */
    public double matmulGflops(int n) {
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDArray a = m.randomNormal(new ai.djl.ndarray.types.Shape(n, n));
            NDArray b = m.randomNormal(new ai.djl.ndarray.types.Shape(n, n));
            Runnable work = () -> {
                NDArray c = a.matMul(b);
                c.getFloat(0, 0); // forces the product to finish
                c.close();
            };
            work.run();
            long start = System.nanoTime();
            int products = 0;
            double elapsed;
            do {
                work.run();
                products++;
                elapsed = (System.nanoTime() - start) / 1e9;
            } while (elapsed < secondsPerPhase);
            return 2.0 * n * n * (double) n * products / elapsed / 1e9;
        }
    }

    /** Loader and fine-tuning steps together. */
    public Phase fineTuning() {
        try (FrozenTrunkStep step = new FrozenTrunkStep()) {
            return loaderPhase("fine-tuning (decode + step)", threads, true, step::apply);
        }
    }

    // ---------------------------------------------------------------- loops

    private void inference(ParameterStore store, Batch batch) {
        try (NDManager batchManager = model.getNDManager().newSubManager()) {
            NDArray x = BatchArrays.images(batchManager, batch);
            // reading the logits back forces the computation to finish before the clock is read
            net.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
        }
    }

    private Phase tensorPhase(String name, Batch ready, Runnable work) {
        for (int i = 0; i < warmupBatches; i++) {
            work.run();
        }
        MemoryUse before = MemoryUse.measure();
        long start = System.nanoTime();
        int batches = 0;
        double elapsed;
        do {
            work.run();
            batches++;
            elapsed = (System.nanoTime() - start) / 1e9;
        } while (elapsed < secondsPerPhase);
        return new Phase(name, (long) batches * ready.size(), batches, elapsed, before, MemoryUse.measure());
    }

    private Phase loaderPhase(String name, int loaderThreads, boolean dropLast, Consumer<Batch> work) {
        MemoryUse before = MemoryUse.measure();
        long[] counted = runLoader(loaderThreads, dropLast, secondsPerPhase, warmupBatches, work);
        return new Phase(name, counted[0], (int) counted[1], counted[2] / 1e9, before, MemoryUse.measure());
    }

    /**
     * Runs epochs of the loader through {@code work} until {@code seconds} have passed after the
     * warm-up batches; returns {images, batches, nanoseconds} counted after the warm-up.
     */
    private long[] runLoader(int loaderThreads, boolean dropLast, double seconds, int warmup, Consumer<Batch> work) {
        long images = 0;
        long batches = 0;
        int seen = 0;
        long start = System.nanoTime();
        for (int epoch = 0; ; epoch++) {
            try (BatchLoader loader = loader(loaderThreads, dropLast, epoch)) {
                if (loader.numBatches() == 0) {
                    throw new IllegalArgumentException("the benchmark data has " + data.size()
                            + " images, fewer than one batch of " + batchSize);
                }
                for (Batch batch : loader) {
                    work.accept(batch);
                    if (++seen <= warmup) {
                        start = System.nanoTime();
                        continue;
                    }
                    images += batch.size();
                    batches++;
                    long elapsed = System.nanoTime() - start;
                    if (elapsed >= seconds * 1e9) {
                        return new long[] {images, batches, elapsed};
                    }
                }
            }
        }
    }

    private BatchLoader loader(int loaderThreads, boolean dropLast, int epoch) {
        return BatchLoader.builder(data).transform(transform).batchSize(batchSize).shuffle(false)
                .dropLast(dropLast).epoch(epoch).threads(loaderThreads).build();
    }

    private Batch firstBatch(boolean full) {
        try (BatchLoader loader = loader(threads, full, 0)) {
            for (Batch batch : loader) {
                return batch;
            }
        }
        throw new IllegalArgumentException("the benchmark data has " + data.size() + " images, fewer than one batch of "
                + batchSize);
    }

    /**
     * The FixRes fine-tuning step (the one {@link TrainingStep} under a {@link FixResScope}: trunk
     * frozen and in inference mode, last BatchNorm on batch statistics, SGD on the classifier);
     * what matters here is the cost of a step, not the recipe. Puts the network back on close.
     */
    private final class FrozenTrunkStep implements AutoCloseable {
        private final FixResScope scope;
        private final TrainingStep step;

        FrozenTrunkStep() {
            scope = FixResScope.fineTuning(net, LastBatchNormMode.STATS);
            step = new TrainingStep(net, model.getNDManager(), benchmarkSgd());
        }

        void apply(Batch batch) {
            step.run(batch); // every phase ends with a read back to the host: the step has finished
        }

        @Override
        public void close() {
            step.close();
            scope.close();
        }
    }

    /** SGD as the recipes use it (momentum 0.9, weight decay 1e-4); the rate is irrelevant to a step's cost. */
    private static Optimizer benchmarkSgd() {
        return Optimizer.sgd().setLearningRateTracker(Tracker.fixed(1e-3f)).optMomentum(0.9f).optWeightDecays(1e-4f).build();
    }

    /** The network measured; {@link TorchReference} builds the same one in PyTorch. */
    public ResNet network() {
        return net;
    }

    /** Configures a {@link PipelineBenchmark}. */
    public static final class Builder {
        private final Model model;
        private final ResNet net;
        private final ModelCard card;
        private final ImageDataset data;
        private int resolution = 224;
        private int batchSize = 32;
        private int threads = Runtime.getRuntime().availableProcessors();
        private double secondsPerPhase = 10;
        private int warmupBatches = 2;

        private Builder(Model model, ResNet net, ModelCard card, ImageDataset data) {
            this.model = Objects.requireNonNull(model, "model");
            this.net = Objects.requireNonNull(net, "net");
            this.card = Objects.requireNonNull(card, "card");
            this.data = Objects.requireNonNull(data, "data");
        }

        /** Test resolution K: resize to floor(K / crop ratio), centre crop K. */
        public Builder resolution(int resolution) {
            this.resolution = resolution;
            return this;
        }

        public Builder batchSize(int batchSize) {
            // the fine-tuning step trains a BatchNorm: more than one value per channel
            InvalidParameterException.require(batchSize >= 2, "batch size", "must be >= 2", batchSize);
            this.batchSize = batchSize;
            return this;
        }

        /** Decoder threads of the end-to-end phases (the engine's threads are set at its start). */
        public Builder threads(int threads) {
            InvalidParameterException.require(threads >= 1, "threads", "must be >= 1", threads);
            this.threads = threads;
            return this;
        }

        /** Measured time per phase, after the warm-up. */
        public Builder secondsPerPhase(double seconds) {
            InvalidParameterException.require(seconds > 0, "seconds per phase", "must be positive", seconds);
            this.secondsPerPhase = seconds;
            return this;
        }

        /** Batches run before the clock starts (first-call allocations, JIT, thread start-up); default 2. */
        public Builder warmupBatches(int warmupBatches) {
            if (warmupBatches < 0) {
                throw new IllegalArgumentException("warm-up batches must be >= 0, got " + warmupBatches);
            }
            this.warmupBatches = warmupBatches;
            return this;
        }

        public PipelineBenchmark build() {
            return new PipelineBenchmark(this);
        }
    }
}
