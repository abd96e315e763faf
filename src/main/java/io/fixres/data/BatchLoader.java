package io.fixres.data;

import io.fixres.transform.FloatImage;
import io.fixres.transform.Transform;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One epoch of batches, decoded and transformed in parallel with bounded prefetch.
 *
 * <p>A pool of decoder threads runs {@code dataset.get} + {@code transform} per sample; one
 * assembler thread collects the samples in order, copies them into one float array per batch
 * and hands the batches over through a queue of {@code prefetch} batches. Each sample gets its
 * own generator seeded from {@code (seed, epoch, dataset index)}, so the batches are the same
 * whatever the number of threads; the shuffle order is a seeded permutation per epoch.
 *
 * <p>A failure on any thread surfaces in the consuming thread at the batch where it happened
 * ({@link DataException} keeps its message); the loader then shuts down. With
 * {@code skipBadImages}, samples whose decoding throws {@link DataException} are left out of
 * their batch and recorded instead (a transform producing a size that differs within a batch
 * is a setup error and always fails). Images of a dataset wrapped by {@link BadImages#skipping}
 * are left out the same way whatever this loader's setting. The loader iterates once; build one per epoch, and
 * close it (try-with-resources) to stop its threads early.
 */
public final class BatchLoader implements Iterable<Batch>, AutoCloseable {
    private static final AtomicInteger LOADER_IDS = new AtomicInteger();
    private static final Object END = new Object();
    private static final long POLL_MILLIS = 100;
    private static final long SHUTDOWN_WAIT_SECONDS = 60;

    private final ImageDataset dataset;
    private final Transform transform;
    private final int batchSize;
    private final boolean dropLast;
    private final long seed;
    private final int epoch;
    private final int threads;
    private final boolean skipBadImages;
    private final int[] order;
    private final int numBatches;
    private final String threadNamePrefix = "fixres-loader-" + LOADER_IDS.incrementAndGet();

    /** Batch, Failure or END. */
    private final BlockingQueue<Object> queue;
    private final List<String> skippedMessages = new ArrayList<>();
    /** Every thread this loader started, so close() can wait until each has really ended. */
    private final List<Thread> threadsStarted = new ArrayList<>();
    private ExecutorService workers;
    private Thread assembler;
    private boolean started;
    private volatile boolean closed;

    private record Sample(int index, int label, FloatImage image, DataException skipped) {}

    private record Failure(Throwable error) {}

    private BatchLoader(Builder b) {
        this.dataset = b.dataset;
        this.transform = b.transform;
        this.batchSize = b.batchSize;
        this.dropLast = b.dropLast;
        this.seed = b.seed;
        this.epoch = b.epoch;
        this.threads = b.threads;
        this.skipBadImages = b.skipBadImages;
        this.queue = new ArrayBlockingQueue<>(b.prefetch);
        int n = dataset.size();
        this.order = b.shuffle ? Seeds.permutation(n, Seeds.mix(seed, epoch)) : identity(n);
        this.numBatches = dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    public static Builder builder(ImageDataset dataset) {
        return new Builder(dataset);
    }

    /** Batches this epoch yields, before any skipped image empties one. */
    public int numBatches() { return numBatches; }

    /** Dataset indices in the order this epoch visits them (a copy). */
    public int[] order() { return order.clone(); }

    /** Images skipped so far (the loader works ahead of the consumer; final once iteration ended). */
    public synchronized int skippedImages() { return skippedMessages.size(); }

    /** Why each skipped image was skipped; the messages name the files. */
    public synchronized List<String> skippedMessages() { return List.copyOf(skippedMessages); }

    String threadNamePrefix() { return threadNamePrefix; }

    @Override
    public synchronized Iterator<Batch> iterator() {
        if (closed) {
            throw new IllegalStateException("this BatchLoader is closed");
        }
        if (started) {
            throw new IllegalStateException("a BatchLoader iterates once; build one per epoch");
        }
        started = true;
        workers = Executors.newFixedThreadPool(threads, trackedDaemonThreads(threadNamePrefix + "-decoder-"));
        assembler = trackedDaemonThreads(threadNamePrefix + "-assembler-").newThread(this::assemble);
        assembler.start();
        return new BatchIterator();
    }

    /** Stops the threads and waits for them to end; safe to call more than once. */
    @Override
    public void close() {
        Thread assemblerThread;
        ExecutorService pool;
        synchronized (this) {
            closed = true;
            assemblerThread = assembler;
            pool = workers;
        }
        if (assemblerThread == null) {
            return;
        }
        assemblerThread.interrupt();
        pool.shutdownNow();
        List<Thread> toJoin;
        synchronized (this) { // after shutdownNow the pool starts no more threads
            toJoin = List.copyOf(threadsStarted);
        }
        boolean interrupted = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SHUTDOWN_WAIT_SECONDS);
        for (Thread thread : toJoin) {
            // Decoders finish the image in hand (ImageIO does not react to interrupts).
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                if (left > 0 && thread != Thread.currentThread()) {
                    thread.join(left);
                }
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            }
        }
        queue.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The assembler thread: submits samples a window ahead, assembles batches in order. */
    private void assemble() {
        try {
            int positions = dropLast ? numBatches * batchSize : order.length;
            int window = 4 * threads; // enough to keep every decoder busy while the head is awaited
            Deque<Future<Sample>> inFlight = new ArrayDeque<>();
            int submitted = 0;
            for (int b = 0; b < numBatches; b++) {
                int start = b * batchSize;
                BatchBuilder batch = new BatchBuilder(Math.min(batchSize, positions - start));
                for (int pos = start; pos < start + batch.capacity; pos++) {
                    for (; submitted < positions && submitted <= pos + window; submitted++) {
                        int position = submitted;
                        inFlight.add(workers.submit(() -> load(position)));
                    }
                    Sample sample = await(inFlight.removeFirst());
                    if (sample.skipped() != null) {
                        recordSkipped(sample.skipped());
                    } else {
                        batch.add(sample);
                    }
                }
                if (batch.count > 0 && !deliver(batch.build())) {
                    return;
                }
            }
            deliver(END);
        } catch (InterruptedException e) {
            // close() stopped us
        } catch (Throwable t) {
            try {
                deliver(new Failure(t));
            } catch (InterruptedException e) {
                // closing anyway
            }
        } finally {
            workers.shutdownNow();
        }
    }

    private Sample load(int position) {
        int index = order[position];
        try {
            LabeledImage item = dataset.get(index);
            FloatImage image = transform.apply(item.image(), new SplittableRandom(Seeds.mix(seed, epoch, index)));
            return new Sample(index, item.label(), image, null);
        } catch (DataException e) {
            if (skipBadImages || e instanceof BadImages.SkippedImageException) {
                return new Sample(index, -1, null, e);
            }
            throw e;
        }
    }

    private static Sample await(Future<Sample> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    private synchronized void recordSkipped(DataException e) {
        skippedMessages.add(e.getMessage());
    }

    /** Puts an item in the queue unless the loader is closed meanwhile; false when closed. */
    private boolean deliver(Object item) throws InterruptedException {
        while (!closed) {
            if (queue.offer(item, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return false;
    }

    /** Collects one batch's samples into a single N x C x H x W array. */
    private final class BatchBuilder {
        final int capacity;
        int count;
        float[] data;
        int[] labels;
        int[] indices;
        int channels;
        int height;
        int width;

        BatchBuilder(int capacity) {
            this.capacity = capacity;
        }

        void add(Sample sample) {
            FloatImage image = sample.image();
            if (data == null) {
                channels = image.channels();
                height = image.height();
                width = image.width();
                data = new float[capacity * channels * height * width];
                labels = new int[capacity];
                indices = new int[capacity];
            } else if (image.channels() != channels || image.height() != height || image.width() != width) {
                throw new DataException("sample " + sample.index() + " of " + dataset.source() + " came out of the"
                        + " transform as " + image.channels() + "x" + image.height() + "x" + image.width()
                        + " but its batch started with " + channels + "x" + height + "x" + width
                        + "; the transform must produce one size for the whole batch");
            }
            System.arraycopy(image.data(), 0, data, count * channels * height * width, image.data().length);
            labels[count] = sample.label();
            indices[count] = sample.index();
            count++;
        }

        Batch build() {
            if (count < capacity) { // only when images were skipped
                data = Arrays.copyOf(data, count * channels * height * width);
                labels = Arrays.copyOf(labels, count);
                indices = Arrays.copyOf(indices, count);
            }
            return new Batch(data, labels, count, channels, height, width, indices);
        }
    }

    /** The consumer's side: waits for the next item, re-raises failures in the caller's thread. */
    private final class BatchIterator implements Iterator<Batch> {
        private Object next;
        private boolean done;

        @Override
        public boolean hasNext() {
            if (done) {
                return false;
            }
            if (next == null) {
                next = take();
            }
            if (next == END) {
                done = true;
                close();
                return false;
            }
            if (next instanceof Failure failure) {
                done = true;
                close();
                throw rethrown(failure.error());
            }
            return true;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Batch batch = (Batch) next;
            next = null;
            return batch;
        }

        private Object take() {
            try {
                while (true) {
                    if (closed) {
                        throw new IllegalStateException("this BatchLoader was closed during iteration");
                    }
                    Object item = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (item != null) {
                        return item;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while waiting for a batch", e);
            }
        }

        /** A new exception thrown here (so the consumer's stack shows), the worker's as cause. */
        private RuntimeException rethrown(Throwable error) {
            if (error instanceof DataException e) {
                return new DataException(e.getMessage(), e);
            }
            return new IllegalStateException("loading a batch failed on a worker thread: " + error, error);
        }
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        Arrays.setAll(p, i -> i);
        return p;
    }

    private ThreadFactory trackedDaemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            synchronized (this) {
                threadsStarted.add(thread);
            }
            return thread;
        };
    }

    /** Configures a {@link BatchLoader}; only the dataset is required. */
    public static final class Builder {
        private final ImageDataset dataset;
        private Transform transform = (image, rng) -> image;
        private int batchSize = 32;
        private boolean shuffle;
        private boolean dropLast;
        private long seed;
        private int epoch;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int prefetch = 4;
        private boolean skipBadImages;

        private Builder(ImageDataset dataset) {
            this.dataset = Objects.requireNonNull(dataset, "dataset");
        }

        /** Applied to every sample after decoding; identity by default. */
        public Builder transform(Transform transform) {
            this.transform = Objects.requireNonNull(transform, "transform");
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = positive(batchSize, "batch size");
            return this;
        }

        /** Visit the samples in a seeded permutation of (seed, epoch) instead of dataset order. */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Leave out the last batch when it is incomplete. */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder epoch(int epoch) {
            this.epoch = epoch;
            return this;
        }

        /** Decoder threads; default: the available processors. */
        public Builder threads(int threads) {
            this.threads = positive(threads, "threads");
            return this;
        }

        /** Assembled batches kept ready ahead of the consumer; default 4. */
        public Builder prefetch(int prefetch) {
            this.prefetch = positive(prefetch, "prefetch");
            return this;
        }

        /** Leave out (and count) images that fail to decode instead of failing the epoch. */
        public Builder skipBadImages(boolean skipBadImages) {
            this.skipBadImages = skipBadImages;
            return this;
        }

        public BatchLoader build() {
            return new BatchLoader(this);
        }

        private static int positive(int value, String what) {
            if (value <= 0) {
                throw new IllegalArgumentException(what + " must be positive, got " + value);
            }
            return value;
        }
    }
}
