package io.fixres.bench;

import io.fixres.core.BatchNormMode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.nn.Parameter;
import io.fixres.data.ImageDataset;
import io.fixres.data.LabeledImage;
import io.fixres.model.BatchNorm2d;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import io.fixres.transform.FloatImage;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PipelineBenchmarkTest {
    private static final int IMAGES = 24;

    /** 24 gray 20x20 noise images in 3 classes; counts the decodes. */
    private static final class NoiseImages implements ImageDataset {
        final AtomicInteger decodes = new AtomicInteger();

        @Override public int size() { return IMAGES; }
        @Override public List<String> classNames() { return List.of("a", "b", "c"); }
        @Override public int channels() { return 1; }
        @Override public String source() { return "noise"; }

        @Override
        public LabeledImage get(int index) {
            decodes.incrementAndGet();
            SplittableRandom r = new SplittableRandom(index);
            float[] pixels = new float[20 * 20];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) r.nextDouble();
            }
            return new LabeledImage(new FloatImage(1, 20, 20, pixels), index % 3);
        }
    }

    private static ModelCard card(ResNet net) {
        ModelCard card = ModelCard.forModel(net);
        card.setMean(new double[] {0.5});
        card.setStd(new double[] {0.25});
        return card;
    }

    @Test
    void phasesCountWholeBatchesAfterTheWarmUpAndTheStepTouchesOnlyClassifierAndLastBatchNorm() {
        Engine.getInstance().setRandomSeed(5);
        NoiseImages data = new NoiseImages();
        try (Model model = Model.newInstance("bench-test")) {
            ResNet net = ResNet.builder().architecture("resnet-small").numClasses(3).inputChannels(1)
                    .widthMultiplier(0.25).build();
            net.initialize(model.getNDManager(), 16);
            model.setBlock(net);
            PipelineBenchmark bench = PipelineBenchmark.builder(model, net, card(net), data).resolution(16)
                    .batchSize(8).threads(2).secondsPerPhase(0.2).warmupBatches(1).build();

            PipelineBenchmark.Phase decode = bench.decode(2);
            assertThat(decode.images()).isEqualTo(8L * decode.batches()).isPositive();
            assertThat(decode.seconds()).isGreaterThanOrEqualTo(0.2);
            assertThat(decode.imagesPerSecond()).isCloseTo(decode.images() / decode.seconds(), within(1e-9));

            PipelineBenchmark.Phase forward = bench.forward();
            assertThat(forward.images()).isEqualTo(8L * forward.batches());
            assertThat(forward.name()).isEqualTo("forward only (ready tensors)");

            PipelineBenchmark.Phase step = bench.fineTuneStep();
            assertThat(step.images()).isEqualTo(8L * step.batches());

            Map<String, float[]> before = snapshot(net);
            data.decodes.set(0);
            PipelineBenchmark.Phase fineTuning = bench.fineTuning();
            assertThat(fineTuning.images()).isEqualTo(8L * fineTuning.batches());
            assertThat(data.decodes.get()).isGreaterThanOrEqualTo((fineTuning.batches() + 1) * 8); // + the warm-up batch
            Map<String, float[]> after = snapshot(net);
            String lastBn = net.lastBatchNormName();
            before.forEach((key, values) -> {
                boolean trained = key.startsWith("fc.") || key.equals(lastBn + ".running_mean")
                        || key.equals(lastBn + ".running_var");
                if (trained) {
                    assertThat(after.get(key)).as(key + " changes").isNotEqualTo(values);
                } else {
                    assertThat(after.get(key)).as(key + " stays (frozen trunk, BN in inference mode)").isEqualTo(values);
                }
            });
            // the benchmark leaves the network as it found it: modes back to FOLLOW, trainable tensors unfrozen
            assertThat(net.batchNorms().values()).extracting(BatchNorm2d::getMode).containsOnly(BatchNormMode.FOLLOW);
            net.stateDict().values().stream()
                    .filter(p -> p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR)
                    .forEach(p -> assertThat(p.requiresGradient()).as(p.getName()).isTrue());
        }
    }

    @Test
    void soakSamplesMemoryFromTheStart() {
        try (Model model = Model.newInstance("bench-test")) {
            ResNet net = ResNet.builder().architecture("resnet-small").numClasses(3).inputChannels(1)
                    .widthMultiplier(0.25).build();
            net.initialize(model.getNDManager(), 16);
            model.setBlock(net);
            List<PipelineBenchmark.MemorySample> samples = PipelineBenchmark.builder(model, net, card(net), new NoiseImages())
                    .resolution(16).batchSize(8).threads(1).build().soak(0.3, 3);
            assertThat(samples.get(0).seconds()).isZero();
            assertThat(samples.get(0).images()).isZero();
            assertThat(samples).hasSizeBetween(2, 4);
            assertThat(samples).extracting(PipelineBenchmark.MemorySample::images).isSorted();
            assertThat(samples.get(samples.size() - 1).memory().heapUsedBytes()).isPositive();
        }
    }

    private static Map<String, float[]> snapshot(ResNet net) {
        return net.stateDict().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getArray().toFloatArray()));
    }
}
