package io.fixres.data;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The policy "leave unreadable images out instead of failing the run" ({@code --skip-bad-images}),
 * carried by the data itself so that every loop over it (training epochs, evaluations, statistics
 * and feature passes, sweeps, fits) skips the same way without each having to be told.
 *
 * <p>{@link #skipping} wraps a dataset: an image whose decoding fails is recorded here and raised
 * as a {@link SkippedImageException}, which {@link BatchLoader} leaves out of its batch. The record
 * keeps each failure once (the same file fails again in every epoch and at every resolution), in
 * the order first seen; the messages name the files. Thread-safe.
 */
public final class BadImages {
    private final Set<String> skipped = new LinkedHashSet<>();

    /** {@code data} with its unreadable images skipped and recorded here. */
    public ImageDataset skipping(ImageDataset data) {
        return new Skipping(data);
    }

    /** Distinct images skipped so far. */
    public synchronized int count() { return skipped.size(); }

    /** Why each was skipped, each naming its file, in the order first seen. */
    public synchronized List<String> messages() { return List.copyOf(skipped); }

    private synchronized void record(String message) {
        skipped.add(message);
    }

    /** An image the data set's policy leaves out; the message is the decoding failure's. */
    public static final class SkippedImageException extends DataException {
        SkippedImageException(DataException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final class Skipping implements ImageDataset {
        private final ImageDataset parent;

        Skipping(ImageDataset parent) {
            this.parent = parent;
        }

        @Override public int size() { return parent.size(); }
        @Override public List<String> classNames() { return parent.classNames(); }
        @Override public int channels() { return parent.channels(); }
        @Override public String source() { return parent.source(); }

        @Override
        public LabeledImage get(int index) {
            try {
                return parent.get(index);
            } catch (SkippedImageException e) {
                throw e;
            } catch (DataException e) {
                record(e.getMessage());
                throw new SkippedImageException(e);
            }
        }
    }
}
