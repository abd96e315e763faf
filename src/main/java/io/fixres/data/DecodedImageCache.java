package io.fixres.data;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A dataset whose images are kept in memory once decoded, up to a byte budget (first come, first
 * kept; beyond the budget images are decoded again on every read). Measuring the same images
 * several times (a probe of test resolutions in rounds) then decodes each image once when they fit.
 * Safe for the loader's decoder threads; images are shared, not copied: transforms never modify
 * their input.
 */
public final class DecodedImageCache implements ImageDataset {
    private final ImageDataset source;
    private final long budgetBytes;
    private final AtomicReferenceArray<LabeledImage> kept;
    private final AtomicLong keptBytes = new AtomicLong();
    private final AtomicLong decodes = new AtomicLong();

    public DecodedImageCache(ImageDataset source, long budgetBytes) {
        this.source = Objects.requireNonNull(source, "source");
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("memory budget must be >= 0 bytes, got " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
        this.kept = new AtomicReferenceArray<>(source.size());
    }

    @Override public int size() { return source.size(); }
    @Override public List<String> classNames() { return source.classNames(); }
    @Override public int channels() { return source.channels(); }
    @Override public String source() { return source.source(); }

    @Override
    public LabeledImage get(int index) {
        LabeledImage image = kept.get(index);
        if (image != null) {
            return image;
        }
        image = source.get(index);
        decodes.incrementAndGet();
        long bytes = 4L * image.image().data().length;
        if (keptBytes.addAndGet(bytes) <= budgetBytes) {
            kept.compareAndSet(index, null, image);
        } else {
            keptBytes.addAndGet(-bytes);
        }
        return image;
    }

    /** How many times an image was decoded so far (the data set's size when every image fitted). */
    public long decodes() { return decodes.get(); }

    /** True when every image has been decoded and kept. */
    public boolean holdsAll() {
        for (int i = 0; i < kept.length(); i++) {
            if (kept.get(i) == null) {
                return false;
            }
        }
        return true;
    }
}
