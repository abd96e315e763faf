package io.fixres.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A plain folder of images with no class sub-folders: what label-free recalibration reads (its
 * labels are never looked at; every image carries {@link #NO_LABEL}). Files are the folder's
 * {@code .jpg/.jpeg/.png/.bmp} images sorted by name, decoded lazily to RGB like an ImageFolder's.
 */
public final class UnlabeledImageFolder implements ImageDataset {
    /** The label of every image. */
    public static final int NO_LABEL = -1;

    private final Path dir;
    private final List<Path> files;

    private UnlabeledImageFolder(Path dir, List<Path> files) {
        this.dir = dir;
        this.files = List.copyOf(files);
    }

    /** Lists the images directly in {@code dir}; fails naming the folder when there is none. */
    public static UnlabeledImageFolder open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new DataException("image folder " + dir + " is not a directory");
        }
        List<Path> files;
        try (Stream<Path> entries = Files.list(dir)) {
            files = entries.filter(p -> ImageFolderDataset.isImageFile(p) && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new DataException("cannot list image folder " + dir + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new DataException("image folder " + dir + " holds no images; expected .jpg, .jpeg, .png or .bmp files");
        }
        return new UnlabeledImageFolder(dir, files);
    }

    @Override public int size() { return files.size(); }
    @Override public List<String> classNames() { return List.of(); }
    @Override public int channels() { return 3; }
    @Override public String source() { return dir.toString(); }

    @Override
    public LabeledImage get(int index) {
        Objects.checkIndex(index, files.size());
        return new LabeledImage(ImageDecoder.readRgb(files.get(index)), NO_LABEL);
    }
}
