package io.fixres.data;

import java.util.List;

/**
 * A random-access labelled image dataset (one split). Implementations must be safe to call
 * from several decoder threads at once.
 */
public interface ImageDataset {
    int size();

    /** Class names in index order (sorted folder names for ImageFolder). */
    List<String> classNames();

    default int numClasses() { return classNames().size(); }

    /** Channels of the decoded images: 1 for grayscale data (Fashion-MNIST), else 3. */
    int channels();

    /** Decodes image {@code index}; throws {@link DataException} naming the file when it cannot. */
    LabeledImage get(int index);

    /** Where the data came from, for cards and reports (a path or a dataset name). */
    String source();
}
