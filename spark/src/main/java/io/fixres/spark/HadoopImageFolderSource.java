package io.fixres.spark;

import io.fixres.data.DataException;
import io.fixres.data.ImageDataset;
import io.fixres.data.ImageDecoder;
import io.fixres.data.ImageFolderDataset;
import io.fixres.data.LabeledImage;
import io.fixres.data.Subsets;
import io.fixres.data.SubsetDataset;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One split of an ImageFolder ({@code split/<class>/<image>}) on a Hadoop file system, listed
 * once by the driver in {@link ImageFolderDataset}'s order (classes and files sorted by name, hidden
 * entries and non-images skipped); each task reads and decodes only its own files. With
 * {@code labelled == false} the folder holds the images directly (label-free recalibration).
 */
public final class HadoopImageFolderSource implements ImageSource {
    private static final long serialVersionUID = 1L;

    private final String dir;
    private final List<String> classNames;
    private final transient List<ImageRef> refs; // driver only: tasks carry their own refs

    private HadoopImageFolderSource(String dir, List<String> classNames, List<ImageRef> refs) {
        this.dir = dir;
        this.classNames = List.copyOf(classNames);
        this.refs = refs;
    }

    /** True when {@code root} looks like an ImageFolder root (has a train/ folder) or a folder of images. */
    public static boolean holdsImages(String root) {
        FileSystem fs = HadoopFiles.fileSystem(URI.create(root));
        try {
            return fs.exists(new Path(new Path(root), "train")) || !images(fs, new Path(root)).isEmpty();
        } catch (IOException e) {
            throw new DataException("cannot list " + root + ": " + e.getMessage(), e);
        }
    }

    /** True when {@code dir} holds image files itself (a plain folder of unlabelled images). */
    public static boolean holdsImagesDirectly(String dir) {
        FileSystem fs = HadoopFiles.fileSystem(URI.create(dir));
        try {
            return !images(fs, new Path(dir)).isEmpty();
        } catch (IOException e) {
            throw new DataException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Lists {@code splitDir} ({@code root/train} or {@code root/val}) and keeps a seeded subset of
     * {@code limit} images (null: all), the same subset {@code Subsets.limit} picks on one machine.
     */
    public static HadoopImageFolderSource list(String splitDir, boolean labelled, Integer limit, long seed) {
        FileSystem fs = HadoopFiles.fileSystem(URI.create(splitDir));
        Path root = new Path(splitDir);
        List<String> classNames = new ArrayList<>();
        List<ImageRef> refs = new ArrayList<>();
        try {
            if (labelled) {
                List<FileStatus> classDirs = visible(fs, root).stream().filter(FileStatus::isDirectory).toList();
                if (classDirs.isEmpty()) {
                    throw new DataException("ImageFolder split " + splitDir
                            + " has no class folders; expected one sub-folder per class holding its images");
                }
                for (FileStatus classDir : classDirs) {
                    List<FileStatus> images = images(fs, classDir.getPath());
                    if (images.isEmpty()) {
                        throw new DataException("class folder " + classDir.getPath()
                                + " holds no images; expected at least one .jpg, .jpeg, .png or .bmp file");
                    }
                    int label = classNames.size();
                    classNames.add(classDir.getPath().getName());
                    images.forEach(f -> refs.add(new ImageRef(refs.size(), label, f.getPath().toString())));
                }
            } else {
                images(fs, root).forEach(f -> refs.add(new ImageRef(refs.size(), -1, f.getPath().toString())));
            }
        } catch (IOException e) {
            throw new DataException("cannot list " + splitDir + ": " + e.getMessage(), e);
        }
        HadoopImageFolderSource all = new HadoopImageFolderSource(splitDir, classNames, List.copyOf(refs));
        return limit == null ? all : all.limit(limit, seed);
    }

    @Override
    public HadoopImageFolderSource limit(int n, long seed) {
        if (n >= refs().size()) {
            return this;
        }
        ImageDataset subset = Subsets.limit(sizeOnly(refs.size()), n, seed);
        List<ImageRef> kept = new ArrayList<>();
        for (int i : ((SubsetDataset) subset).indices()) {
            ImageRef r = refs.get(i);
            kept.add(new ImageRef(kept.size(), r.label(), r.file()));
        }
        return new HadoopImageFolderSource(dir, classNames, List.copyOf(kept));
    }

    private static List<FileStatus> visible(FileSystem fs, Path dir) throws IOException {
        return Arrays.stream(fs.listStatus(dir)).filter(s -> !s.getPath().getName().startsWith("."))
                .sorted(Comparator.comparing(s -> s.getPath().getName())).toList();
    }

    private static List<FileStatus> images(FileSystem fs, Path dir) throws IOException {
        return visible(fs, dir).stream()
                .filter(s -> s.isFile() && ImageFolderDataset.isImageFileName(s.getPath().getName())).toList();
    }

    /** A data set of {@code n} images that is only ever asked its size (to draw the seeded subset). */
    private static ImageDataset sizeOnly(int n) {
        return new ImageDataset() {
            @Override public int size() { return n; }
            @Override public List<String> classNames() { return List.of(); }
            @Override public int channels() { return 3; }
            @Override public LabeledImage get(int index) { throw new UnsupportedOperationException(); }
            @Override public String source() { return "listing"; }
        };
    }

    @Override public String name() { return dir; }

    @Override
    public List<ImageRef> refs() {
        if (refs == null) {
            throw new IllegalStateException("the listing of " + dir + " stays on the driver");
        }
        return refs;
    }

    @Override public List<String> classNames() { return classNames; }

    @Override
    public ImageDataset open(List<ImageRef> part) {
        List<ImageRef> mine = List.copyOf(part);
        List<String> names = classNames;
        String source = dir;
        return new ImageDataset() {
            @Override public int size() { return mine.size(); }
            @Override public List<String> classNames() { return names; }
            @Override public int channels() { return 3; }
            @Override public String source() { return source; }

            @Override
            public LabeledImage get(int index) {
                ImageRef ref = mine.get(index);
                URI uri = URI.create(ref.file());
                try (InputStream in = HadoopFiles.fileSystem(uri).open(new Path(uri))) {
                    return new LabeledImage(ImageDecoder.readRgb(in, ref.file()), ref.label());
                } catch (IOException e) {
                    throw new DataException("cannot read image " + ref.file() + ": " + e.getMessage(), e);
                }
            }
        };
    }
}
