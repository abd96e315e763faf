package io.fixres.data;

import io.fixres.transform.Normalization;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** What the project knows about Fashion-MNIST (Xiao et al. 2017): classes, files, mirror, hashes. */
public final class FashionMnist {
    public static final String NAME = "fashion-mnist";

    /** Label order of the official release. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    public static final Normalization NORMALIZATION = Normalization.FASHION_MNIST;

    /** The official mirror listed in the dataset's README. */
    public static final URI MIRROR = URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");

    /**
     * SHA-256 of the decompressed content of each file (IDX name without .gz), computed from
     * the Debian package dataset-fashion-mnist (0.0~git20200523.55506a9-1).
     */
    static final Map<String, String> CONTENT_SHA256 = Map.of(
            "train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            "train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            "t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            "t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    private FashionMnist() {}

    /**
     * Whether an IDX directory holds Fashion-MNIST, judged by its two label files (70 kB to
     * hash), so that {@code --data /some/copy} still gets the real class names.
     */
    static boolean isFashionMnist(IdxLayout layout) {
        try {
            return CONTENT_SHA256.get("train-labels-idx1-ubyte").equals(VerifiedDownload.contentSha256(layout.trainLabels()))
                    && CONTENT_SHA256.get("t10k-labels-idx1-ubyte").equals(VerifiedDownload.contentSha256(layout.testLabels()));
        } catch (IOException e) {
            return false; // unreadable: reading the split will report it properly
        }
    }
}
