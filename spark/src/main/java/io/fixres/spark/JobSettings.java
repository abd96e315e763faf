package io.fixres.spark;

import io.fixres.io.InvalidParameterException;
import java.io.Serializable;

/**
 * How a distributed pass runs.
 *
 * @param batchSize images per forward pass; partitions hold whole batches, so each batch is the one
 *                  the single-machine pass would form (same numbers, and the same batch statistics
 *                  for recalibrate --layers all)
 * @param partitions partitions of the images (at most one per batch)
 * @param taskCpus libtorch intra-op threads per task: spark.task.cpus, so the tasks of an executor
 *                 together use its cores and no more
 * @param failFirstAttemptOfPartition tests only: the first attempt of this partition throws, as a
 *                                    lost executor would, to show a retry changes no result (-1: never)
 */
public record JobSettings(int batchSize, int partitions, int taskCpus, int failFirstAttemptOfPartition)
        implements Serializable {
    public JobSettings {
        InvalidParameterException.require(batchSize >= 1, "batch size", "must be >= 1", batchSize);
        InvalidParameterException.require(partitions >= 1, "partitions", "must be >= 1", partitions);
        InvalidParameterException.require(taskCpus >= 1, "task cpus", "must be >= 1", taskCpus);
    }

    public JobSettings withBatchSize(int b) {
        return new JobSettings(b, partitions, taskCpus, failFirstAttemptOfPartition);
    }
}
