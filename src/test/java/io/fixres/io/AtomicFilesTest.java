package io.fixres.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void createsParentDirectoriesAndReplacesExistingContent() throws IOException {
        Path file = dir.resolve("a/b/result.json");
        AtomicFiles.writeString(file, "first, longer content");
        AtomicFiles.writeString(file, "second");
        assertThat(Files.readString(file)).isEqualTo("second");
        assertThat(listing(file.getParent())).containsExactly("result.json");
    }

    @Test
    void failedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("table.csv");
        AtomicFiles.writeBytes(file, "old".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> AtomicFiles.write(file, out -> {
            out.write("half of the new".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(Files.readString(file)).isEqualTo("old");
        assertThat(listing(dir)).containsExactly("table.csv");
    }

    @Test
    void failedFirstWriteCreatesNothing() throws IOException {
        Path file = dir.resolve("new.png");
        assertThatThrownBy(() -> AtomicFiles.write(file, out -> {
            throw new IllegalStateException("renderer broke");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(listing(dir)).isEmpty();
    }

    @Test
    void writerMayCloseTheStream() throws IOException {
        Path file = dir.resolve("closed.txt");
        AtomicFiles.write(file, out -> {
            out.write('x');
            out.close();
        });
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    private static java.util.List<String> listing(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
