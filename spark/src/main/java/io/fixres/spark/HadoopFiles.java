package io.fixres.spark;

import io.fixres.data.DataException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/** Data on any Hadoop file system (hdfs://, s3a://, gs://, abfs://, file://). */
public final class HadoopFiles {
    private static final Map<String, Path> LOCAL_COPIES = new ConcurrentHashMap<>();

    private HadoopFiles() {}

    /** True for a URI with a scheme other than file: (hdfs://..., s3a://...): read through Hadoop, not java.nio. */
    public static boolean isRemote(String spec) {
        return spec != null && spec.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") && !spec.startsWith("file:");
    }

    /** The file system of {@code uri}, configured from the cluster's Hadoop configuration (HADOOP_CONF_DIR). */
    public static FileSystem fileSystem(URI uri) {
        try {
            return FileSystem.get(uri, new Configuration());
        } catch (IOException e) {
            throw new DataException("cannot open the file system of " + uri + ": " + e.getMessage(), e);
        }
    }

    /**
     * A copy of the directory {@code uri} on this machine's disk, made once per JVM: how an IDX data
     * set (tens of MB) on shared storage reaches each executor.
     */
    public static Path localCopy(String uri) {
        return LOCAL_COPIES.computeIfAbsent(uri, u -> {
            try {
                Path dir = Path.of(System.getProperty("java.io.tmpdir"), "fixres-spark-data",
                        HexFormat.of().formatHex(u.getBytes(StandardCharsets.UTF_8)).substring(0, Math.min(40, 2 * u.length()))
                                + "-" + Integer.toHexString(u.hashCode()));
                Path done = dir.resolve(".complete");
                if (!Files.exists(done)) {
                    Files.createDirectories(dir.getParent());
                    Path tmp = Files.createTempDirectory(dir.getParent(), "copy-");
                    org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(u);
                    FileSystem fs = fileSystem(URI.create(u));
                    for (var status : fs.listStatus(src)) {
                        fs.copyToLocalFile(false, status.getPath(),
                                new org.apache.hadoop.fs.Path(tmp.resolve(status.getPath().getName()).toUri()), true);
                    }
                    Files.createFile(tmp.resolve(".complete"));
                    try {
                        Files.move(tmp, dir); // atomic: another task of this JVM, or another JVM, may race
                    } catch (IOException alreadyThere) {
                        if (!Files.exists(done)) {
                            throw alreadyThere;
                        }
                    }
                }
                return dir;
            } catch (IOException e) {
                throw new DataException("cannot copy " + u + " to this machine: " + e.getMessage(), e);
            }
        });
    }
}
