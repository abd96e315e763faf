package io.fixres.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that readers see either the old content or the complete new content, never a
 * half-written file: the content goes to a hidden temporary file in the target's directory, is
 * synced, then renamed over the target. A crash or an exception mid-write leaves the target as it was.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * Throws, naming the path, when {@code file} could not be written later: it is a directory,
     * or a file that is not writable, or its nearest existing ancestor is not a writable directory.
     * Creates nothing, so a command can check its output first and fail before any work.
     */
    public static void requireWritableFile(Path file) {
        Path absolute = file.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new IllegalArgumentException("cannot write " + file + ": it is a directory");
        }
        if (Files.exists(absolute) && !Files.isWritable(absolute)) {
            throw new IllegalArgumentException("cannot write " + file + ": the file is not writable");
        }
        requireCreatableDirectory(file, absolute.getParent());
    }

    /** Throws, naming the path, when directory {@code dir} neither is nor could be created as a writable directory. */
    public static void requireWritableDirectory(Path dir) {
        requireCreatableDirectory(dir, dir.toAbsolutePath());
    }

    private static void requireCreatableDirectory(Path target, Path dir) {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new IllegalArgumentException("cannot write " + target + ": no existing directory above it");
        }
        if (!Files.isDirectory(existing)) {
            throw new IllegalArgumentException("cannot write " + target + ": " + existing + " is a file, not a directory");
        }
        if (!Files.isWritable(existing)) {
            throw new IllegalArgumentException("cannot write " + target + ": directory " + existing + " is not writable");
        }
    }

    public static void writeString(Path target, String text) throws IOException {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Runs {@code body} against a stream into a temporary file, then moves it over {@code target}.
     * Parent directories are created. If {@code body} throws, the temporary file is deleted and the
     * target is untouched. {@code body} may close the stream (Jackson does); that is harmless.
     */
    public static void write(Path target, IOConsumer<OutputStream> body) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        // Same directory as the target: a rename within one file system is what makes the move atomic.
        // Not Files.createTempFile: it would give the output owner-only permissions.
        Path temp = dir.resolve("." + absolute.getFileName() + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new UncloseableStream(
                        new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
                body.accept(out);
                out.flush();
                channel.force(true);
            }
            moveIntoPlace(temp, absolute);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Lets the writer "close" without closing the channel before it is synced. */
    private static final class UncloseableStream extends FilterOutputStream {
        UncloseableStream(OutputStream out) { super(out); }

        @Override
        public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }

        @Override
        public void close() throws IOException { flush(); }
    }
}
