package io.fixres.spark;

import java.util.List;

/**
 * Picks the {@link ImageSource} for a --data value: an ImageFolder (or a plain folder of images) on
 * a Hadoop file system is listed by the driver and read image by image; anything else
 * ({@code fashion-mnist}, a path every node mounts, an IDX directory on a Hadoop file system) is
 * resolved by each executor as the single-machine commands resolve it.
 */
public final class ImageSources {
    private ImageSources() {}

    /**
     * @param limit a seeded subset of this many images (null: all)
     * @param seed the subset's seed, as the single-machine command draws it
     */
    public static ImageSource of(String spec, ResolvedImageSource.Split split, Integer limit, long seed) {
        if (HadoopFiles.isRemote(spec) && HadoopImageFolderSource.holdsImages(spec)) {
            String root = spec.endsWith("/") ? spec.substring(0, spec.length() - 1) : spec;
            return switch (split) {
                case TRAIN -> HadoopImageFolderSource.list(root + "/train", true, limit, seed);
                case TEST -> HadoopImageFolderSource.list(root + "/val", true, limit, seed);
                case UNLABELLED_OR_TRAIN -> HadoopImageFolderSource.holdsImagesDirectly(root)
                        ? HadoopImageFolderSource.list(root, false, limit, seed)
                        : HadoopImageFolderSource.list(root + "/train", true, limit, seed);
            };
        }
        ResolvedImageSource all = new ResolvedImageSource(spec, split, List.of());
        return limit == null ? all : all.limit(limit, seed);
    }
}
