package io.fixres.data;

import java.util.List;
import java.util.Objects;

/** A view of some samples of another dataset; sample {@code i} is parent sample {@code indices[i]}. */
public final class SubsetDataset implements ImageDataset {
    private final ImageDataset parent;
    private final int[] indices;
    private final String source;

    SubsetDataset(ImageDataset parent, int[] indices, String source) {
        for (int index : indices) {
            Objects.checkIndex(index, parent.size());
        }
        this.parent = parent;
        this.indices = indices.clone();
        this.source = source;
    }

    public ImageDataset parent() { return parent; }

    /** The parent indices of this subset's samples, in order (a copy). */
    public int[] indices() { return indices.clone(); }

    @Override public int size() { return indices.length; }
    @Override public List<String> classNames() { return parent.classNames(); }
    @Override public int channels() { return parent.channels(); }
    @Override public String source() { return source; }
    @Override public LabeledImage get(int index) { return parent.get(indices[Objects.checkIndex(index, indices.length)]); }
}
