package io.fixres.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One split of a torchvision-style ImageFolder: {@code split/<class>/<image>}.
 *
 * <p>Unlike DJL's {@code ImageFolder}, the order is deterministic: classes sorted by folder
 * name (class index = position, as torchvision), files sorted by name within a class. Only
 * {@code .jpg/.jpeg/.png/.bmp} files (any case) count; other files are ignored, as are hidden
 * entries (names starting with '.', e.g. macOS {@code ._x.jpg} resource forks). Images decode
 * lazily in {@link #get}, to 3-channel RGB (see {@link ImageDecoder}).
 */
public final class ImageFolderDataset implements ImageDataset {
    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp");

    private final Path root;
    private final List<String> classNames;
    private final List<Path> files;
    private final int[] labels;

    private ImageFolderDataset(Path root, List<String> classNames, List<Path> files, int[] labels) {
        this.root = root;
        this.classNames = List.copyOf(classNames);
        this.files = List.copyOf(files);
        this.labels = labels;
    }

    /** Scans {@code splitDir}: one sub-folder per class, each with at least one image. */
    public static ImageFolderDataset open(Path splitDir) {
        if (!Files.isDirectory(splitDir)) {
            throw new DataException("ImageFolder split " + splitDir + " is not a directory");
        }
        List<Path> classDirs = sortedEntries(splitDir).stream().filter(Files::isDirectory).toList();
        if (classDirs.isEmpty()) {
            throw new DataException("ImageFolder split " + splitDir
                    + " has no class folders; expected one sub-folder per class holding its images");
        }
        List<String> classNames = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path classDir : classDirs) {
            List<Path> images = sortedEntries(classDir).stream()
                    .filter(p -> isImageFile(p) && Files.isRegularFile(p)).toList();
            if (images.isEmpty()) {
                throw new DataException("class folder " + classDir
                        + " holds no images; expected at least one .jpg, .jpeg, .png or .bmp file");
            }
            int label = classNames.size();
            classNames.add(classDir.getFileName().toString());
            files.addAll(images);
            images.forEach(p -> labels.add(label));
        }
        return new ImageFolderDataset(splitDir, classNames, files,
                labels.stream().mapToInt(Integer::intValue).toArray());
    }

    @Override public int size() { return files.size(); }
    @Override public List<String> classNames() { return classNames; }
    @Override public int channels() { return 3; }
    @Override public String source() { return root.toString(); }

    /** The file of sample {@code index}. */
    public Path file(int index) { return files.get(index); }

    @Override
    public LabeledImage get(int index) {
        Objects.checkIndex(index, files.size());
        return new LabeledImage(ImageDecoder.readRgb(files.get(index)), labels[index]);
    }

    static boolean isImageFile(Path p) {
        return isImageFileName(p.getFileName().toString());
    }

    /** True for a name ending in .jpg, .jpeg, .png or .bmp (any case): the files a class folder's images are. */
    public static boolean isImageFileName(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Non-hidden entries of {@code dir}, sorted by name. */
    private static List<Path> sortedEntries(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        } catch (IOException e) {
            throw new DataException("cannot list ImageFolder directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
