package io.fixres.spark;

import ai.djl.pytorch.jni.JniUtils;
import org.apache.spark.TaskContext;

/** What every task does before it touches the engine. */
public final class ExecutorEngine {
    private ExecutorEngine() {}

    /**
     * Bounds libtorch to the task's slots and turns autograd off on this task thread. The thread
     * counts are read when the engine loads, once per executor JVM: intra-op threads =
     * spark.task.cpus, so an executor running cores / task.cpus tasks at once uses its cores and no
     * more (libtorch's default, every core per task, oversubscribes them task-fold); one inter-op
     * thread. Grad mode is per thread and the engine disables it only on the thread that loaded it
     * (docs/djl-notes.md), so each task thread disables it for itself: inference records nothing.
     */
    static void enter(JobSettings settings) {
        bindThreads(settings.taskCpus());
        ai.djl.engine.Engine.getEngine("PyTorch"); // loads it (with the properties above) if this JVM has not yet
        JniUtils.setGradMode(false);
        TaskContext task = TaskContext.get();
        if (task != null && task.partitionId() == settings.failFirstAttemptOfPartition() && task.attemptNumber() == 0) {
            throw new IllegalStateException("injected failure of partition " + task.partitionId()
                    + ", attempt 0 (JobSettings.failFirstAttemptOfPartition, tests only)");
        }
    }

    /** Sets the engine's thread properties and its offline mode, before it loads (later calls change nothing). */
    public static void bindThreads(int taskCpus) {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(taskCpus));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.setProperty("OPT_OUT_TRACKING", "true");
    }
}
