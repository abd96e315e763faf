package io.fixres.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The images of a pass cut into partitions of whole, consecutive batches (the last one may be
 * short): partition p holds batches [p * k, (p + 1) * k). Each partition is one RDD element, the
 * list of its images, so a task is a pure function of its partition and a retried task recomputes
 * exactly what the failed one would have returned (nothing is counted twice).
 */
final class PartitionedImages {
    private PartitionedImages() {}

    static JavaRDD<List<ImageRef>> of(JavaSparkContext sc, List<ImageRef> refs, JobSettings settings) {
        if (refs.isEmpty()) {
            throw new IllegalArgumentException("no images to distribute");
        }
        int batches = (refs.size() + settings.batchSize() - 1) / settings.batchSize();
        int batchesPerPartition = (batches + settings.partitions() - 1) / settings.partitions();
        int perPartition = batchesPerPartition * settings.batchSize();
        List<List<ImageRef>> parts = new ArrayList<>();
        for (int start = 0; start < refs.size(); start += perPartition) {
            parts.add(new ArrayList<>(refs.subList(start, Math.min(refs.size(), start + perPartition))));
        }
        return sc.parallelize(parts, parts.size());
    }
}
