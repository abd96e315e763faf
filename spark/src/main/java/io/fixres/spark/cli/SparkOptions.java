package io.fixres.spark.cli;

import io.fixres.spark.JobSettings;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** Where the job runs and how its images are cut up. */
public final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: spark-submit's --master, else local[*]): local[N], spark://HOST:7077, "
                    + "k8s://https://HOST:443, yarn.")
    String master;

    @Option(names = "--partitions", paramLabel = "P",
            description = "Partitions of the images, each whole batches (default: twice the cluster's default parallelism).")
    Integer partitions;

    /** The session: --master, else the one spark-submit configured, else local[*]. */
    public SparkSession session(String job) {
        SparkSession.Builder builder = SparkSession.builder().appName("fixres-spark " + job);
        String configured = System.getProperty("spark.master");
        if (master != null) {
            builder.master(master);
        } else if (configured == null) {
            builder.master("local[*]");
        }
        return builder.getOrCreate();
    }

    /** Batch size, partitions and threads per task (spark.task.cpus) for this session. */
    public JobSettings settings(SparkSession spark, int batchSize) {
        int taskCpus = Integer.parseInt(spark.conf().get("spark.task.cpus", "1"));
        int p = partitions != null ? partitions : 2 * spark.sparkContext().defaultParallelism();
        if (p < 1) {
            throw new IllegalArgumentException("--partitions must be >= 1, got " + p);
        }
        // in local mode the tasks run in this JVM: its engine gets the task's threads too (the driver's own
        // inference, e.g. loading a checkpoint, is small)
        io.fixres.spark.ExecutorEngine.bindThreads(taskCpus);
        return new JobSettings(batchSize, p, taskCpus, -1);
    }
}
