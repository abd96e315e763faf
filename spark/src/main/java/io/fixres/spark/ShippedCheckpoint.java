package io.fixres.spark;

import ai.djl.ndarray.NDManager;
import io.fixres.model.Checkpoint;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * A checkpoint directory (model.params + model.json) sent to the executors as one broadcast: the
 * driver reads it once, each executor JVM writes it to its local disk once and every partition
 * loads it from there with {@link Checkpoint#load}, the single-machine loader (so a card that does
 * not match its weights is refused the same way).
 */
public final class ShippedCheckpoint implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<Long, Path> WRITTEN = new ConcurrentHashMap<>();

    private final String name;
    private final Broadcast<Map<String, byte[]>> files;

    private ShippedCheckpoint(String name, Broadcast<Map<String, byte[]>> files) {
        this.name = name;
        this.files = files;
    }

    /** Reads {@code dir}'s model.params and model.json and broadcasts them. */
    public static ShippedCheckpoint of(JavaSparkContext sc, Path dir) throws IOException {
        Map<String, byte[]> content = Map.of(
                Checkpoint.PARAMS_FILE, Files.readAllBytes(require(dir, Checkpoint.PARAMS_FILE)),
                Checkpoint.CARD_FILE, Files.readAllBytes(require(dir, Checkpoint.CARD_FILE)));
        return new ShippedCheckpoint(dir.toString(), sc.broadcast(content));
    }

    private static Path require(Path dir, String file) throws IOException {
        Path p = dir.resolve(file);
        if (!Files.isRegularFile(p)) {
            throw new java.io.FileNotFoundException("checkpoint " + dir + " has no " + file
                    + "; expected a directory written by fixres train, finetune, recalibrate or import");
        }
        return p;
    }

    /** The directory it came from on the driver. */
    public String name() { return name; }

    /** Loads the network on this executor (the files are written to local disk once per JVM). */
    public Checkpoint.LoadedModel load(NDManager manager) {
        Path dir = WRITTEN.computeIfAbsent(files.id(), id -> {
            try {
                Path d = Files.createTempDirectory("fixres-checkpoint-" + id + "-");
                d.toFile().deleteOnExit();
                for (Map.Entry<String, byte[]> f : files.value().entrySet()) {
                    Files.write(d.resolve(f.getKey()), f.getValue());
                    d.resolve(f.getKey()).toFile().deleteOnExit();
                }
                return d;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the shipped checkpoint " + name + " to local disk", e);
            }
        });
        try {
            return Checkpoint.load(dir, manager);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the shipped checkpoint " + name, e);
        }
    }

    /** Frees the broadcast on the executors. */
    public void release() {
        files.unpersist();
    }
}
