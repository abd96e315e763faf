package io.fixres.spark;

import io.fixres.data.DataSplits;
import io.fixres.data.DatasetResolver;
import io.fixres.data.ImageDataset;
import io.fixres.data.Subsets;
import io.fixres.data.UnlabeledImageFolder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * A data set each executor resolves itself with the single-machine {@link DatasetResolver}
 * ({@code fashion-mnist}, an IDX directory or ImageFolder on storage every node mounts at the same
 * path, or an IDX directory on a Hadoop file system, copied once per executor by
 * {@link HadoopFiles#localCopy}), then the same seeded subset as the single-machine commands. Only
 * positions travel with the tasks; the resolved data set is kept once per executor JVM.
 *
 * @param spec the --data value
 * @param split which images
 * @param limits seeded subsets applied in turn (the CLI's seeds: seed + 1 for test images, seed for training
 *               images, then seed + 7 for the statistics images among those)
 */
public record ResolvedImageSource(String spec, Split split, List<Limit> limits) implements ImageSource {
    private static final long serialVersionUID = 1L;

    /** {@code Subsets.limit(images, n, seed)}. */
    public record Limit(int n, long seed) implements java.io.Serializable {}

    public ResolvedImageSource {
        limits = List.copyOf(limits);
    }

    /** The images of a {@link DataSplits}, or {@link DatasetResolver#resolveImages} for label-free use. */
    public enum Split { TRAIN, TEST, UNLABELLED_OR_TRAIN }

    private static final Map<ResolvedImageSource, ImageDataset> OPENED = new ConcurrentHashMap<>();

    /** The images, resolved and limited, once per JVM. */
    public ImageDataset dataset() {
        return OPENED.computeIfAbsent(this, ResolvedImageSource::resolve);
    }

    private static ImageDataset resolve(ResolvedImageSource s) {
        String local = HadoopFiles.isRemote(s.spec) ? HadoopFiles.localCopy(s.spec).toString() : s.spec;
        DatasetResolver resolver = DatasetResolver.standard();
        ImageDataset images = switch (s.split) {
            case TRAIN -> resolver.resolve(local).train();
            case TEST -> resolver.resolve(local).test();
            case UNLABELLED_OR_TRAIN -> resolver.resolveImages(local);
        };
        for (Limit l : s.limits) {
            images = Subsets.limit(images, l.n(), l.seed());
        }
        return images;
    }

    @Override
    public ImageSource limit(int n, long seed) {
        List<Limit> more = new java.util.ArrayList<>(limits);
        more.add(new Limit(n, seed));
        return new ResolvedImageSource(spec, split, more);
    }

    @Override
    public String name() {
        return dataset().source();
    }

    @Override
    public List<ImageRef> refs() {
        ImageDataset d = dataset();
        return IntStream.range(0, d.size()).mapToObj(i -> new ImageRef(i, -1, null)).toList();
    }

    @Override
    public List<String> classNames() {
        ImageDataset d = dataset();
        return d instanceof UnlabeledImageFolder ? List.of() : d.classNames();
    }

    @Override
    public ImageDataset open(List<ImageRef> refs) {
        return Subsets.select(dataset(), refs.stream().mapToInt(ImageRef::position).toArray());
    }
}
