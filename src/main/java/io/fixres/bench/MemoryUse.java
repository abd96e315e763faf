package io.fixres.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process's memory at one moment: resident set size (Java heap + native memory, where
 * libtorch's tensors live) and the Java heap in use after a garbage collection.
 *
 * @param rssBytes VmRSS from /proc/self/status; -1 where there is no procfs
 * @param heapUsedBytes heap in use right after {@link System#gc()}
 */
public record MemoryUse(long rssBytes, long heapUsedBytes) {
    private static final Path STATUS = Path.of("/proc/self/status");

    /** Collects garbage, then reads both figures. */
    public static MemoryUse measure() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return new MemoryUse(residentSetBytes(), runtime.totalMemory() - runtime.freeMemory());
    }

    public double rssMiB() { return rssBytes < 0 ? Double.NaN : rssBytes / (1024.0 * 1024.0); }

    public double heapMiB() { return heapUsedBytes / (1024.0 * 1024.0); }

    static long residentSetBytes() {
        try {
            return parseVmRss(Files.readAllLines(STATUS));
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    /** The "VmRSS:   123456 kB" line of a /proc status file, in bytes; -1 if absent. */
    static long parseVmRss(List<String> statusLines) {
        for (String line : statusLines) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                return Long.parseLong(parts[0]) * 1024L;
            }
        }
        return -1;
    }
}
