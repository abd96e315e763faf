package io.fixres.spark.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.spark.JobSettings;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/** Where and how a job ran, and its wall-clock time on the driver: the "spark" block of the JSON outputs. */
record JobReport(@JsonProperty("master") String master, @JsonProperty("partitions") int partitions,
                 @JsonProperty("batch_size") int batchSize, @JsonProperty("task_cpus") int taskCpus,
                 @JsonProperty("default_parallelism") int defaultParallelism, @JsonProperty("seconds") double seconds) {

    static JobReport of(SparkSession session, JobSettings settings, double seconds) {
        return new JobReport(session.sparkContext().master(), settings.partitions(), settings.batchSize(),
                settings.taskCpus(), session.sparkContext().defaultParallelism(), seconds);
    }

    String describe() {
        return String.format(Locale.ROOT, "spark: %s, %d partitions of whole %d-image batches, %d libtorch thread%s per task, "
                        + "%.1f s", master, partitions, batchSize, taskCpus, taskCpus == 1 ? "" : "s", seconds);
    }
}
