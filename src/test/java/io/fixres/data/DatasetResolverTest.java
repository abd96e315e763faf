package io.fixres.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fixres.transform.Normalization;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetResolverTest {
    private static final Downloader NO_NETWORK = (url, target) -> {
        throw new IOException("network unreachable");
    };

    @TempDir Path tmp;

    @Test
    void fashionMnistComesFromTheFirstCandidateHoldingAllFourFiles() throws IOException {
        Path absent = tmp.resolve("absent");
        Path partial = Files.createDirectories(tmp.resolve("partial"));
        TestData.write(partial.resolve("train-images-idx3-ubyte.gz"), TestData.gzip(TestData.idxImages(0, 3, 2, new byte[0])));
        Path second = TestData.idxDirectory(tmp.resolve("second"), 7, 3, 10);
        Path third = TestData.idxDirectory(tmp.resolve("third"), 5, 2, 10);
        DatasetResolver resolver = new DatasetResolver(List.of(absent, partial, second, third), tmp.resolve("cache"),
                (url, target) -> { throw new AssertionError("no download expected, asked for " + url); });

        DataSplits splits = resolver.resolve("fashion-mnist");

        assertThat(splits.name()).isEqualTo("fashion-mnist");
        assertThat(splits.train().source()).isEqualTo(second.resolve("train-images-idx3-ubyte.gz").toString());
        assertThat(splits.train().size()).isEqualTo(7);
        assertThat(splits.test().size()).isEqualTo(3);
        assertThat(splits.train().classNames()).containsExactly("T-shirt/top", "Trouser", "Pullover", "Dress",
                "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
        assertThat(splits.normalization()).isSameAs(Normalization.FASHION_MNIST);
    }

    @Test
    void standardSearchOrderIsEnvironmentThenDebianPackageThenCache() {
        Path home = Path.of("/home/u");
        assertThat(DatasetResolver.standardFashionMnistDirs(Map.of("FIXRES_DATA", "/data"), home)).containsExactly(
                Path.of("/data"), Path.of("/data/fashion-mnist"), Path.of("/usr/share/datasets/fashion-mnist"),
                Path.of("/home/u/.cache/fixres/fashion-mnist"));
        assertThat(DatasetResolver.standardFashionMnistDirs(Map.of("FIXRES_DATA", " "), home)).containsExactly(
                Path.of("/usr/share/datasets/fashion-mnist"), Path.of("/home/u/.cache/fixres/fashion-mnist"));
    }

    @Test
    void failedDownloadSaysHowToGetTheDataAndLeavesNoPartialFile() throws IOException {
        Path cache = tmp.resolve("cache");
        DatasetResolver resolver = new DatasetResolver(List.of(tmp.resolve("a")), cache, NO_NETWORK);

        assertThatThrownBy(() -> resolver.resolve("fashion-mnist")).isInstanceOf(DataException.class)
                .hasMessageContaining("Fashion-MNIST was not found in [" + tmp.resolve("a") + "]")
                .hasMessageContaining("from " + FashionMnist.MIRROR + " into " + cache + " failed (network unreachable)")
                .hasMessageContaining("apt-get install dataset-fashion-mnist")
                .hasMessageContaining("set FIXRES_DATA")
                .hasMessageContaining("--data PATH");
        assertThat(filesIn(cache)).isEmpty();
    }

    @Test
    void downloadGoesThroughTheMirrorIntoTheCacheOnceAndIsVerified() throws IOException {
        Path source = TestData.idxDirectory(tmp.resolve("mirror"), 6, 4, 10);
        Map<String, String> hashes = new HashMap<>();
        for (String name : IdxLayout.FILE_NAMES) {
            hashes.put(name, VerifiedDownload.contentSha256(source.resolve(name + ".gz")));
        }
        List<URI> requested = new ArrayList<>();
        Downloader fromMirrorDir = (url, target) -> {
            requested.add(url);
            Files.copy(source.resolve(Path.of(url.getPath()).getFileName().toString()), target,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        };
        Path cache = tmp.resolve("cache");
        URI mirror = URI.create("http://mirror.invalid/fmnist/");
        DatasetResolver resolver = new DatasetResolver(List.of(cache), cache, fromMirrorDir, mirror, hashes);

        DataSplits first = resolver.resolve("fashion-mnist");
        DataSplits second = resolver.resolve("fashion-mnist");

        assertThat(requested).containsExactly(
                URI.create("http://mirror.invalid/fmnist/train-images-idx3-ubyte.gz"),
                URI.create("http://mirror.invalid/fmnist/train-labels-idx1-ubyte.gz"),
                URI.create("http://mirror.invalid/fmnist/t10k-images-idx3-ubyte.gz"),
                URI.create("http://mirror.invalid/fmnist/t10k-labels-idx1-ubyte.gz"));
        assertThat(filesIn(cache)).containsExactlyInAnyOrder("train-images-idx3-ubyte.gz",
                "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");
        assertThat(first.train().size()).isEqualTo(6);
        assertThat(second.test().size()).isEqualTo(4);
        assertThat(first.train().get(5).image()).isEqualTo(second.train().get(5).image());
    }

    @Test
    void downloadWithWrongContentIsRejectedAndNotKept() throws IOException {
        Path cache = tmp.resolve("cache");
        DatasetResolver resolver = new DatasetResolver(List.of(), cache,
                (url, target) -> Files.writeString(target, "<html>captive portal</html>"));

        assertThatThrownBy(() -> resolver.resolve("fashion-mnist")).isInstanceOf(DataException.class)
                .hasMessageContaining("train-images-idx3-ubyte.gz is corrupt or not the expected file: SHA-256 of its content is ")
                .hasMessageContaining("expected " + FashionMnist.CONTENT_SHA256.get("train-images-idx3-ubyte"))
                .hasMessageContaining("apt-get install dataset-fashion-mnist");
        assertThat(filesIn(cache)).isEmpty();
    }

    @Test
    void idxDirectoryPathGetsDigitClassesAndItsOwnStatistics() throws IOException {
        Path dir = TestData.idxDirectory(tmp.resolve("my-mnist"), 4, 2, 3);

        DataSplits splits = DatasetResolver.standard().resolve(dir.toString());

        assertThat(splits.name()).isEqualTo("my-mnist");
        assertThat(splits.train().classNames()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(splits.train().channels()).isEqualTo(1);
        // Training pixels are (i*7 + p) for i < 4, p < 6: 0..5, 7..12, 14..19, 21..26 ->
        // mean 13, population variance 64 + 1/6 (in 0..255 units).
        assertThat(splits.normalization().mean()).containsExactly((float) (13.0 / 255));
        assertThat(splits.normalization().std()[0]).isCloseTo((float) (Math.sqrt(64 + 1 / 6.0) / 255), within(1e-6f));
    }

    @Test
    void idxLabelsAboveNineWidenTheClassList() throws IOException {
        Path dir = TestData.idxDirectory(tmp.resolve("letters"), 12, 2, 12);

        assertThat(DatasetResolver.standard().resolve(dir.toString()).train().classNames()).hasSize(12).endsWith("11");
    }

    @Test
    void imageFolderPathUsesImageNetStatistics() throws IOException {
        Path root = TestData.imageFolder(tmp.resolve("flowers"), List.of("rose", "daisy"), List.of("daisy", "rose"));

        DataSplits splits = DatasetResolver.standard().resolve(root.toString());

        assertThat(splits.name()).isEqualTo("flowers");
        assertThat(splits.train().classNames()).containsExactly("daisy", "rose");
        assertThat(splits.test().source()).isEqualTo(root.resolve("val").toString());
        assertThat(splits.normalization()).isSameAs(Normalization.IMAGENET);
    }

    @Test
    void imageFolderWithoutValIsRejected() throws IOException {
        Path root = TestData.imageFolder(tmp.resolve("flowers"), List.of("rose"), List.of());

        assertThatThrownBy(() -> DatasetResolver.standard().resolve(root.toString())).isInstanceOf(DataException.class)
                .hasMessage("ImageFolder root " + root + " has no val/ folder; expected " + root.resolve("train")
                        + "/<class>/<image> and " + root.resolve("val") + "/<class>/<image>");
    }

    @Test
    void valClassesMustMatchTrainClasses() throws IOException {
        Path root = TestData.imageFolder(tmp.resolve("flowers"), List.of("daisy", "rose", "tulip"),
                List.of("daisy", "lily", "rose"));

        assertThatThrownBy(() -> DatasetResolver.standard().resolve(root.toString())).isInstanceOf(DataException.class)
                .hasMessage("class folders of " + root.resolve("val") + " differ from " + root.resolve("train")
                        + ": missing in val [tulip], only in val [lily]");
    }

    @Test
    void unknownPathsSayWhatLayoutWasExpected() throws IOException {
        Path missing = tmp.resolve("nowhere");
        assertThatThrownBy(() -> DatasetResolver.standard().resolve(missing.toString()))
                .isInstanceOf(DataException.class)
                .hasMessageStartingWith("dataset path " + missing + " does not exist; expected 'fashion-mnist', an IDX directory (")
                .hasMessageContaining("or an ImageFolder root (train/<class>/<image> and val/<class>/<image>)");

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> DatasetResolver.standard().resolve(empty.toString()))
                .isInstanceOf(DataException.class).hasMessageStartingWith("dataset path " + empty + " has no known layout; expected");

        Path partial = TestData.idxDirectory(tmp.resolve("partial"), 2, 2, 2);
        Files.delete(partial.resolve("t10k-labels-idx1-ubyte.gz"));
        assertThatThrownBy(() -> DatasetResolver.standard().resolve(partial.toString()))
                .isInstanceOf(DataException.class).hasMessageStartingWith("dataset path " + partial
                        + " has no known layout (it looks like an IDX directory but lacks [t10k-labels-idx1-ubyte[.gz]]); expected");
    }

    /** The one test that reads the real data; runs only where the Debian package is installed. */
    @Test
    void debianPackageIsRecognisedAsFashionMnist() {
        Path debian = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(IdxLayout.find(debian).isPresent(), "dataset-fashion-mnist is not installed");

        DataSplits byName = new DatasetResolver(List.of(debian), tmp, NO_NETWORK).resolve("fashion-mnist");
        DataSplits byPath = DatasetResolver.standard().resolve(debian.toString());

        for (DataSplits splits : List.of(byName, byPath)) {
            assertThat(splits.name()).isEqualTo("fashion-mnist");
            assertThat(splits.train().size()).isEqualTo(60_000);
            assertThat(splits.test().size()).isEqualTo(10_000);
            assertThat(splits.train().classNames()).isEqualTo(FashionMnist.CLASS_NAMES);
            assertThat(splits.normalization()).isSameAs(Normalization.FASHION_MNIST);
            assertThat(splits.train().get(0).image().height()).isEqualTo(28);
        }
        // The first training image of Fashion-MNIST is an ankle boot (label 9).
        assertThat(byName.train().get(0).label()).isEqualTo(9);
    }

    private static List<String> filesIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
