package io.fixres.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fixres.transform.FloatImage;
import io.fixres.transform.Transform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BatchLoaderTest {
    /** Image i: 1 x 2 x 3 filled with the value i; label i % 3. */
    private static ImageDataset filled(int size) {
        return TestData.memory(size, i -> TestData.filled(i, 2, 3));
    }

    /** Image i: 1 x 4 x 4 with pixel p = 16 i + p. */
    private static final ImageDataset RAMPS = TestData.memory(37, i -> {
        float[] data = new float[16];
        for (int p = 0; p < 16; p++) {
            data[p] = 16 * i + p;
        }
        return new LabeledImage(new FloatImage(1, 4, 4, data), i % 3);
    });

    /** A random 2x2 crop plus uniform noise: both use the sample's generator. */
    private static final Transform RANDOM_CROP_AND_NOISE = (image, rng) -> {
        int y0 = rng.nextInt(3);
        int x0 = rng.nextInt(3);
        FloatImage out = FloatImage.zeros(1, 2, 2);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                out.set(0, y, x, image.get(0, y0 + y, x0 + x) + rng.nextFloat());
            }
        }
        return out;
    };

    @Test
    void batchesFollowDatasetOrderWithDenseNchwData() {
        List<Batch> batches;
        try (BatchLoader loader = BatchLoader.builder(filled(10)).batchSize(4).threads(2).build()) {
            assertThat(loader.numBatches()).isEqualTo(3);
            batches = collect(loader);
        }

        assertThat(batches).extracting(Batch::size).containsExactly(4, 4, 2);
        assertThat(batches).extracting(Batch::indices)
                .containsExactly(new int[] {0, 1, 2, 3}, new int[] {4, 5, 6, 7}, new int[] {8, 9});
        assertThat(batches).extracting(Batch::labels)
                .containsExactly(new int[] {0, 1, 2, 0}, new int[] {1, 2, 0, 1}, new int[] {2, 0});
        Batch last = batches.get(2);
        assertThat(last.shape()).containsExactly(2, 1, 2, 3);
        assertThat(last.data()).containsExactly(8, 8, 8, 8, 8, 8, 9, 9, 9, 9, 9, 9);
        assertThat(batches.get(0).data()).hasSize(4 * 6);
    }

    @Test
    void dropLastLeavesOutTheIncompleteBatch() {
        try (BatchLoader loader = BatchLoader.builder(filled(10)).batchSize(4).dropLast(true).build()) {
            assertThat(loader.numBatches()).isEqualTo(2);
            assertThat(collect(loader)).extracting(Batch::size).containsExactly(4, 4);
        }
        try (BatchLoader loader = BatchLoader.builder(filled(8)).batchSize(4).dropLast(true).build()) {
            assertThat(collect(loader)).extracting(Batch::size).containsExactly(4, 4);
        }
    }

    @Test
    void shuffleIsTheSeededPermutationOfSeedAndEpoch() {
        int[] epoch0 = visitOrder(0);
        assertThat(epoch0).containsExactly(Seeds.permutation(10, Seeds.mix(5, 0)));
        assertThat(epoch0).isEqualTo(visitOrder(0));
        assertThat(epoch0).isNotEqualTo(visitOrder(1));
        assertThat(Arrays.stream(epoch0).sorted().toArray()).containsExactly(IntStream.range(0, 10).toArray());
    }

    private static int[] visitOrder(int epoch) {
        try (BatchLoader loader = BatchLoader.builder(filled(10)).batchSize(3).shuffle(true).seed(5).epoch(epoch).build()) {
            int[] visited = collect(loader).stream().flatMapToInt(b -> Arrays.stream(b.indices())).toArray();
            assertThat(visited).isEqualTo(loader.order());
            return visited;
        }
    }

    @Test
    void batchesAreIdenticalWhateverTheNumberOfThreads() {
        List<Batch> one = load(RANDOM_CROP_AND_NOISE, true, 0, 1, 1);
        List<Batch> four = load(RANDOM_CROP_AND_NOISE, true, 0, 4, 3);

        assertThat(four).hasSameSizeAs(one);
        for (int b = 0; b < one.size(); b++) {
            assertThat(four.get(b).indices()).isEqualTo(one.get(b).indices());
            assertThat(four.get(b).labels()).isEqualTo(one.get(b).labels());
            assertThat(four.get(b).data()).isEqualTo(one.get(b).data());
        }
        // The transform really is random: the same image differs between epochs.
        assertThat(perSample(load(RANDOM_CROP_AND_NOISE, true, 1, 2, 2)).get(0))
                .isNotEqualTo(perSample(one).get(0));
    }

    @Test
    void augmentationOfASampleDoesNotDependOnTheVisitOrder() {
        Map<Integer, List<Float>> shuffled = perSample(load(RANDOM_CROP_AND_NOISE, true, 3, 2, 2));
        Map<Integer, List<Float>> inOrder = perSample(load(RANDOM_CROP_AND_NOISE, false, 3, 2, 2));

        assertThat(shuffled).isEqualTo(inOrder).hasSize(37);
    }

    private static List<Batch> load(Transform transform, boolean shuffle, int epoch, int threads, int prefetch) {
        try (BatchLoader loader = BatchLoader.builder(RAMPS).transform(transform).batchSize(5).shuffle(shuffle)
                .seed(11).epoch(epoch).threads(threads).prefetch(prefetch).build()) {
            return collect(loader);
        }
    }

    private static Map<Integer, List<Float>> perSample(List<Batch> batches) {
        Map<Integer, List<Float>> samples = new HashMap<>();
        for (Batch b : batches) {
            int n = b.channels() * b.height() * b.width();
            for (int i = 0; i < b.size(); i++) {
                List<Float> values = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    values.add(b.data()[i * n + k]);
                }
                samples.put(b.indices()[i], values);
            }
        }
        return samples;
    }

    @Test
    void transformOutputOfAnotherSizeWithinABatchIsNamed() {
        Transform oddFive = (image, rng) -> image.data()[0] == 5f ? FloatImage.zeros(1, 3, 3) : image;
        try (BatchLoader loader = BatchLoader.builder(filled(10)).transform(oddFive).batchSize(4)
                .skipBadImages(true).build()) {
            Iterator<Batch> batches = loader.iterator();
            assertThat(batches.next().indices()).containsExactly(0, 1, 2, 3);
            assertThatThrownBy(batches::next).isInstanceOf(DataException.class).hasMessage(
                    "sample 5 of memory came out of the transform as 1x3x3 but its batch started with 1x2x3;"
                            + " the transform must produce one size for the whole batch");
        }
    }

    @Test
    void badImagesAreSkippedAndCountedWhenAsked() {
        ImageDataset twoBad = failingAt(10, Set.of(2, 7));
        try (BatchLoader loader = BatchLoader.builder(twoBad).batchSize(4).threads(3).skipBadImages(true).build()) {
            List<Batch> batches = collect(loader);

            assertThat(batches).extracting(Batch::indices)
                    .containsExactly(new int[] {0, 1, 3}, new int[] {4, 5, 6}, new int[] {8, 9});
            assertThat(batches.get(0).data()).containsExactly(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3);
            assertThat(batches.get(0).labels()).containsExactly(0, 1, 0);
            assertThat(loader.skippedImages()).isEqualTo(2);
            assertThat(loader.skippedMessages())
                    .containsExactly("cannot decode image /data/f2.png", "cannot decode image /data/f7.png");
        }
    }

    @Test
    void aDatasetWrappedByBadImagesIsSkippedByEveryLoaderAndEachFileRecordedOnce() {
        BadImages bad = new BadImages();
        ImageDataset data = bad.skipping(failingAt(10, Set.of(2, 7)));
        for (int epoch = 0; epoch < 2; epoch++) { // a loader not told to skip: the data carries the policy
            try (BatchLoader loader = BatchLoader.builder(data).batchSize(4).threads(2).epoch(epoch).build()) {
                assertThat(collect(loader).stream().mapToInt(Batch::size).sum()).isEqualTo(8);
            }
        }
        assertThat(bad.count()).isEqualTo(2);
        assertThat(bad.messages()).containsExactlyInAnyOrder("cannot decode image /data/f2.png",
                "cannot decode image /data/f7.png");
        assertThatThrownBy(() -> data.get(7)).isInstanceOf(BadImages.SkippedImageException.class)
                .hasMessage("cannot decode image /data/f7.png");
        assertThat(bad.count()).isEqualTo(2);
    }

    @Test
    void aBatchWhoseImagesAreAllBadIsLeftOut() {
        try (BatchLoader loader = BatchLoader.builder(failingAt(10, Set.of(4, 5, 6, 7))).batchSize(4)
                .skipBadImages(true).build()) {
            assertThat(collect(loader)).extracting(Batch::indices)
                    .containsExactly(new int[] {0, 1, 2, 3}, new int[] {8, 9});
            assertThat(loader.skippedImages()).isEqualTo(4);
        }
    }

    @Test
    void badImageFailsTheConsumerAfterTheBatchesBeforeIt() {
        BatchLoader loader = BatchLoader.builder(failingAt(10, Set.of(6))).batchSize(4).threads(2).build();
        Iterator<Batch> batches = loader.iterator();

        assertThat(batches.next().indices()).containsExactly(0, 1, 2, 3);
        assertThatThrownBy(batches::hasNext).isInstanceOf(DataException.class)
                .hasMessage("cannot decode image /data/f6.png")
                .hasCauseInstanceOf(DataException.class);
        assertThat(batches.hasNext()).isFalse();
        assertThat(liveThreads(loader)).isEmpty(); // the failure shut the loader down
        loader.close();
    }

    @Test
    void otherWorkerExceptionsSurfaceWithTheirCause() {
        Transform broken = (image, rng) -> {
            if (image.data()[0] == 3f) {
                throw new IllegalArgumentException("boom at 3");
            }
            return image;
        };
        try (BatchLoader loader = BatchLoader.builder(filled(10)).transform(broken).batchSize(4).skipBadImages(true).build()) {
            assertThatThrownBy(() -> collect(loader)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("boom at 3")
                    .hasCauseInstanceOf(IllegalArgumentException.class);
            assertThat(liveThreads(loader)).isEmpty();
        }
    }

    @Test
    void closeMidIterationStopsEveryThread() {
        BatchLoader loader = BatchLoader.builder(filled(1000)).batchSize(2).threads(3).prefetch(1).build();
        Iterator<Batch> batches = loader.iterator();
        assertThat(batches.next().indices()).containsExactly(0, 1);
        assertThat(liveThreads(loader)).isNotEmpty();

        loader.close();

        assertThat(liveThreads(loader)).isEmpty();
        assertThatThrownBy(batches::hasNext).isInstanceOf(IllegalStateException.class)
                .hasMessage("this BatchLoader was closed during iteration");
        loader.close(); // idempotent
    }

    @Test
    void finishingTheIterationStopsEveryThread() {
        BatchLoader loader = BatchLoader.builder(filled(10)).batchSize(4).threads(3).build();
        assertThat(collect(loader)).hasSize(3);
        assertThat(liveThreads(loader)).isEmpty();
    }

    @Test
    @Timeout(60) // a safety net against a hang, not a speed assertion
    void closeFromAnotherThreadReleasesAWaitingConsumer() throws InterruptedException {
        CountDownLatch decoding = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        ImageDataset stuck = TestData.memory(4, i -> {
            decoding.countDown();
            try {
                never.await();
            } catch (InterruptedException e) {
                throw new DataException("interrupted while decoding " + i);
            }
            return TestData.filled(i, 2, 3);
        });
        BatchLoader loader = BatchLoader.builder(stuck).batchSize(2).threads(1).build();
        AtomicReference<Throwable> consumerSaw = new AtomicReference<>();
        Iterator<Batch> batches = loader.iterator();
        Thread consumer = new Thread(() -> {
            try {
                batches.hasNext();
            } catch (Throwable t) {
                consumerSaw.set(t);
            }
        });
        consumer.start();
        decoding.await();

        loader.close();
        consumer.join();

        assertThat(consumerSaw.get()).isInstanceOf(IllegalStateException.class)
                .hasMessage("this BatchLoader was closed during iteration");
        assertThat(liveThreads(loader)).isEmpty();
    }

    @Test
    void aLoaderIteratesOnceAndNotAfterClose() {
        try (BatchLoader loader = BatchLoader.builder(filled(3)).build()) {
            assertThat(collect(loader)).hasSize(1);
            assertThatThrownBy(loader::iterator).isInstanceOf(IllegalStateException.class);
        }
        BatchLoader closed = BatchLoader.builder(filled(3)).build();
        closed.close();
        assertThatThrownBy(closed::iterator).isInstanceOf(IllegalStateException.class)
                .hasMessage("this BatchLoader is closed");
    }

    @Test
    void emptyDatasetGivesNoBatches() {
        try (BatchLoader loader = BatchLoader.builder(filled(0)).build()) {
            assertThat(collect(loader)).isEmpty();
        }
    }

    @Test
    void builderRejectsNonPositiveSizes() {
        BatchLoader.Builder builder = BatchLoader.builder(filled(3));
        assertThatThrownBy(() -> builder.batchSize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batch size must be positive, got 0");
        assertThatThrownBy(() -> builder.threads(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("threads must be positive, got -1");
        assertThatThrownBy(() -> builder.prefetch(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("prefetch must be positive, got 0");
    }

    private static ImageDataset failingAt(int size, Set<Integer> bad) {
        return TestData.memory(size, i -> {
            if (bad.contains(i)) {
                throw new DataException("cannot decode image /data/f" + i + ".png");
            }
            return TestData.filled(i, 2, 3);
        });
    }

    private static List<Batch> collect(BatchLoader loader) {
        List<Batch> batches = new ArrayList<>();
        loader.forEach(batches::add);
        return batches;
    }

    private static List<String> liveThreads(BatchLoader loader) {
        String prefix = loader.threadNamePrefix() + "-";
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive).map(Thread::getName).filter(n -> n.startsWith(prefix)).toList();
    }
}
