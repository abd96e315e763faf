package io.fixres.spark.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code fixres-spark JOB [flags]}: the single-machine commands that scale out, with the same flags
 * plus --master and --partitions. The same main class runs under {@code spark-submit}.
 */
@Command(name = "fixres-spark", mixinStandardHelpOptions = true, versionProvider = io.fixres.cli.VersionInfo.class,
        description = {"fixres's resolution sweeps, evaluation, recalibration and one-pass fine-tuning on Apache Spark "
                + "(docs/spark.md).", "Runs in local[*] unless --master or spark-submit says otherwise."},
        subcommands = {CommandLine.HelpCommand.class, SparkSweepCommand.class, SparkEvaluateCommand.class,
            SparkRecalibrateCommand.class, SparkFinetuneCommand.class})
public final class SparkMain implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs a job and returns its exit code: 0 ok, 1 failure, 2 usage error. */
    public static int run(String... args) {
        CommandLine cli = io.fixres.cli.Main.configure(new CommandLine(new SparkMain()));
        CommandLine.IExecutionExceptionHandler fixres = cli.getExecutionExceptionHandler();
        // a task's failure reaches the driver wrapped in SparkExceptions: report the library's own message
        cli.setExecutionExceptionHandler((e, line, parsed) -> fixres.handleExecutionException(rootCause(e), line, parsed));
        return cli.execute(args);
    }

    static Exception rootCause(Exception e) {
        Throwable t = e;
        while (t instanceof org.apache.spark.SparkException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof Exception x ? x : e;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a job is required (see fixres-spark --help)");
    }
}
