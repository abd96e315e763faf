package io.fixres.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The four files of an MNIST-family IDX directory, each either gzipped ({@code .gz}) or raw.
 */
public record IdxLayout(Path trainImages, Path trainLabels, Path testImages, Path testLabels) {
    public static final List<String> FILE_NAMES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    /** The layout of {@code dir} when all four files are there (gzipped preferred), else empty. */
    public static Optional<IdxLayout> find(Path dir) {
        if (!Files.isDirectory(dir) || !missing(dir).isEmpty()) {
            return Optional.empty();
        }
        List<Path> files = FILE_NAMES.stream().map(name -> existing(dir, name).orElseThrow()).toList();
        return Optional.of(new IdxLayout(files.get(0), files.get(1), files.get(2), files.get(3)));
    }

    /** Which of the four files {@code dir} lacks (as {@code name[.gz]}). */
    public static List<String> missing(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String name : FILE_NAMES) {
            if (existing(dir, name).isEmpty()) {
                missing.add(name + "[.gz]");
            }
        }
        return missing;
    }

    private static Optional<Path> existing(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return Optional.of(gz);
        }
        Path raw = dir.resolve(name);
        return Files.isRegularFile(raw) ? Optional.of(raw) : Optional.empty();
    }
}
