package io.fixres.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Downloads into a temporary file next to the target, checks the SHA-256 of its content, and
 * only then renames it into place atomically: a crash or a bad download never leaves a partial
 * or wrong file under the final name.
 */
final class VerifiedDownload {
    private final Downloader downloader;

    VerifiedDownload(Downloader downloader) {
        this.downloader = downloader;
    }

    /**
     * Fetches {@code url} to {@code target}. {@code expectedSha256} is the hash of the
     * <em>decompressed</em> content (see {@link #contentSha256}).
     *
     * @throws IOException when the download fails
     * @throws DataException when the content does not have the expected hash
     */
    void fetch(URI url, Path target, String expectedSha256) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, target.getFileName() + ".", ".part");
        try {
            downloader.download(url, temp);
            String actual = contentSha256(temp);
            if (!actual.equalsIgnoreCase(expectedSha256)) {
                throw new DataException("download of " + url + " is corrupt or not the expected file: SHA-256 of its"
                        + " content is " + actual + ", expected " + expectedSha256);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * SHA-256 (hex) of the file's content, gunzipped when gzipped. Hashing the content rather
     * than the .gz bytes accepts any gzip packaging of the same data: the Debian package's files
     * are re-compressed (their MD5s differ from the ones the Fashion-MNIST README publishes for
     * the mirror's files) yet hold the same bytes.
     */
    static String contentSha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        try (InputStream in = IdxReader.openContent(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
