package io.fixres.data;

import io.fixres.transform.Normalization;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Turns a {@code --data} value into {@link DataSplits}.
 *
 * <ul>
 *   <li>{@code fashion-mnist}: the first of the candidate directories holding the four IDX files
 *       ({@link #standard()}: {@code $FIXRES_DATA}, {@code $FIXRES_DATA/fashion-mnist},
 *       {@code /usr/share/datasets/fashion-mnist} from the Debian package, the user cache);
 *       else a verified download from the official mirror into the download directory.</li>
 *   <li>anything else is a path: an IDX directory (MNIST family) or an ImageFolder root
 *       ({@code train/} and {@code val/}, one sub-folder per class).</li>
 * </ul>
 */
public final class DatasetResolver {
    private static final String HOW_TO_GET_FASHION_MNIST = "Get it with `apt-get install dataset-fashion-mnist`,"
            + " or set FIXRES_DATA to a directory holding the four IDX files ("
            + String.join(", ", IdxLayout.FILE_NAMES) + ", each optionally .gz), or pass --data PATH.";
    private static final String EXPECTED_LAYOUTS = "expected '" + FashionMnist.NAME + "', an IDX directory ("
            + String.join("[.gz], ", IdxLayout.FILE_NAMES) + "[.gz]) or an ImageFolder root"
            + " (train/<class>/<image> and val/<class>/<image>)";

    private final List<Path> fashionMnistDirs;
    private final Path downloadDir;
    private final VerifiedDownload download;
    private final URI mirror;
    private final Map<String, String> expectedSha256;

    /**
     * @param fashionMnistDirs where to look for Fashion-MNIST, in order
     * @param downloadDir      where to download it when none of them has it
     * @param downloader       how to download
     */
    public DatasetResolver(List<Path> fashionMnistDirs, Path downloadDir, Downloader downloader) {
        this(fashionMnistDirs, downloadDir, downloader, FashionMnist.MIRROR, FashionMnist.CONTENT_SHA256);
    }

    /** With a mirror and content hashes of its own, so tests can exercise a successful download. */
    DatasetResolver(List<Path> fashionMnistDirs, Path downloadDir, Downloader downloader,
                    URI mirror, Map<String, String> expectedSha256) {
        this.fashionMnistDirs = List.copyOf(fashionMnistDirs);
        this.downloadDir = downloadDir;
        this.download = new VerifiedDownload(downloader);
        this.mirror = mirror;
        this.expectedSha256 = Map.copyOf(expectedSha256);
    }

    /** The resolver for this machine: environment, Debian package, user cache, HTTP download. */
    public static DatasetResolver standard() {
        Path home = Path.of(System.getProperty("user.home"));
        return new DatasetResolver(standardFashionMnistDirs(System.getenv(), home),
                standardCacheDir(home), Downloader.http(Duration.ofSeconds(20)));
    }

    /** The search order for Fashion-MNIST given an environment and a home directory. */
    public static List<Path> standardFashionMnistDirs(Map<String, String> env, Path home) {
        List<Path> dirs = new ArrayList<>();
        String fixresData = env.get("FIXRES_DATA");
        if (fixresData != null && !fixresData.isBlank()) {
            Path base = Path.of(fixresData);
            dirs.add(base);
            dirs.add(base.resolve(FashionMnist.NAME));
        }
        dirs.add(Path.of("/usr/share/datasets", FashionMnist.NAME));
        dirs.add(standardCacheDir(home));
        return dirs;
    }

    public static Path standardCacheDir(Path home) {
        return home.resolve(".cache").resolve("fixres").resolve(FashionMnist.NAME);
    }

    public DataSplits resolve(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new DataException("no dataset given; " + EXPECTED_LAYOUTS);
        }
        if (spec.equalsIgnoreCase(FashionMnist.NAME)) {
            return fashionMnist();
        }
        return fromPath(Path.of(spec));
    }

    /**
     * Images for label-free use (recalibration): a folder holding image files directly (no class
     * sub-folders) as an {@link UnlabeledImageFolder}, else the training split of {@link #resolve}.
     */
    public ImageDataset resolveImages(String spec) {
        return unlabeledFolder(spec).<ImageDataset>map(folder -> folder).orElseGet(() -> resolve(spec).train());
    }

    /** The plain folder of images (no class sub-folders) {@code spec} names, if it names one. */
    public Optional<UnlabeledImageFolder> unlabeledFolder(String spec) {
        if (spec != null && !spec.equalsIgnoreCase(FashionMnist.NAME)) {
            Path dir = Path.of(spec);
            if (Files.isDirectory(dir) && holdsImages(dir)) {
                return Optional.of(UnlabeledImageFolder.open(dir));
            }
        }
        return Optional.empty();
    }

    /**
     * Labelled images to measure on: the test split ({@code val/}) of a data set {@link #resolve}
     * understands, or a folder with one sub-folder of images per class.
     */
    public ImageDataset resolveLabelled(String spec) {
        if (spec != null && !spec.equalsIgnoreCase(FashionMnist.NAME)) {
            Path dir = Path.of(spec);
            if (Files.isDirectory(dir) && holdsImages(dir)) {
                throw new DataException(dir + " holds images but no class folders: labelled images are expected"
                        + " (one sub-folder per class)");
            }
            if (Files.isDirectory(dir) && IdxLayout.find(dir).isEmpty() && !Files.isDirectory(dir.resolve("train"))
                    && !Files.isDirectory(dir.resolve("val"))) {
                return ImageFolderDataset.open(dir);
            }
        }
        return resolve(spec).test();
    }

    private static boolean holdsImages(Path dir) {
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            return entries.anyMatch(p -> ImageFolderDataset.isImageFile(p) && Files.isRegularFile(p));
        } catch (IOException e) {
            throw new DataException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private DataSplits fashionMnist() {
        for (Path dir : fashionMnistDirs) {
            Optional<IdxLayout> layout = IdxLayout.find(dir);
            if (layout.isPresent()) {
                return fashionMnist(layout.get());
            }
        }
        try {
            for (String name : IdxLayout.FILE_NAMES) {
                Path target = downloadDir.resolve(name + ".gz");
                if (!Files.isRegularFile(target)) {
                    download.fetch(mirror.resolve(name + ".gz"), target, expectedSha256.get(name));
                }
            }
        } catch (IOException | DataException e) {
            throw new DataException("Fashion-MNIST was not found in " + fashionMnistDirs
                    + " and downloading it from " + mirror + " into " + downloadDir + " failed ("
                    + (e.getMessage() != null ? e.getMessage() : e.toString()) + "). " + HOW_TO_GET_FASHION_MNIST, e);
        }
        return fashionMnist(IdxLayout.find(downloadDir).orElseThrow());
    }

    private static DataSplits fashionMnist(IdxLayout layout) {
        return new DataSplits(
                IdxReader.readDataset(layout.trainImages(), layout.trainLabels(), FashionMnist.CLASS_NAMES),
                IdxReader.readDataset(layout.testImages(), layout.testLabels(), FashionMnist.CLASS_NAMES),
                FashionMnist.NAME, FashionMnist.NORMALIZATION);
    }

    private static DataSplits fromPath(Path path) {
        if (!Files.exists(path)) {
            throw new DataException("dataset path " + path + " does not exist; " + EXPECTED_LAYOUTS);
        }
        Optional<IdxLayout> idx = IdxLayout.find(path);
        if (idx.isPresent()) {
            return FashionMnist.isFashionMnist(idx.get()) ? fashionMnist(idx.get()) : genericIdx(path, idx.get());
        }
        if (Files.isDirectory(path.resolve("train")) || Files.isDirectory(path.resolve("val"))) {
            return imageFolder(path);
        }
        List<String> missingIdx = IdxLayout.missing(path);
        String partialIdx = Files.isDirectory(path) && missingIdx.size() < IdxLayout.FILE_NAMES.size()
                ? " (it looks like an IDX directory but lacks " + missingIdx + ")" : "";
        throw new DataException("dataset path " + path + " has no known layout" + partialIdx + "; " + EXPECTED_LAYOUTS);
    }

    /**
     * An MNIST-family directory other than Fashion-MNIST: classes "0".."9" (more if a label
     * is larger), normalised with the training images' own pixel statistics.
     */
    private static DataSplits genericIdx(Path dir, IdxLayout layout) {
        int maxLabel = Math.max(maxLabel(IdxReader.readLabels(layout.trainLabels())),
                maxLabel(IdxReader.readLabels(layout.testLabels())));
        List<String> classNames = IntStream.range(0, Math.max(10, maxLabel + 1)).mapToObj(Integer::toString).toList();
        IdxDataset train = IdxReader.readDataset(layout.trainImages(), layout.trainLabels(), classNames);
        IdxDataset test = IdxReader.readDataset(layout.testImages(), layout.testLabels(), classNames);
        return new DataSplits(train, test, nameOf(dir), train.pixelStatistics());
    }

    private static int maxLabel(byte[] labels) {
        int max = -1;
        for (byte label : labels) {
            max = Math.max(max, Byte.toUnsignedInt(label));
        }
        return max;
    }

    private static DataSplits imageFolder(Path root) {
        for (String split : List.of("train", "val")) {
            if (!Files.isDirectory(root.resolve(split))) {
                throw new DataException("ImageFolder root " + root + " has no " + split + "/ folder; expected "
                        + root.resolve("train") + "/<class>/<image> and " + root.resolve("val") + "/<class>/<image>");
            }
        }
        ImageFolderDataset train = ImageFolderDataset.open(root.resolve("train"));
        ImageFolderDataset val = ImageFolderDataset.open(root.resolve("val"));
        if (!train.classNames().equals(val.classNames())) {
            TreeSet<String> missing = new TreeSet<>(train.classNames());
            missing.removeAll(val.classNames());
            TreeSet<String> extra = new TreeSet<>(val.classNames());
            extra.removeAll(train.classNames());
            throw new DataException("class folders of " + root.resolve("val") + " differ from " + root.resolve("train")
                    + ": missing in val " + missing + ", only in val " + extra);
        }
        return new DataSplits(train, val, nameOf(root), Normalization.IMAGENET);
    }

    private static String nameOf(Path dir) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return name == null ? dir.toString() : name.toString();
    }
}
