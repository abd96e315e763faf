package io.fixres.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fixres} command line: a thin layer over the library, one sub-command per verb. */
@Command(
        name = "fixres",
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.class,
        description = {
            "Find and fix the train-test resolution discrepancy of image classifiers",
            "(Touvron, Vedaldi, Douze, Jegou: Fixing the train-test resolution discrepancy, NeurIPS 2019)."
        },
        subcommands = {
            CommandLine.HelpCommand.class,
            DescribeCommand.class,
            TrainCommand.class,
            EvaluateCommand.class,
            ReproduceCommand.class,
            FinetuneCommand.class,
            GridCommand.class,
            AblationCommand.class,
            SweepCommand.class,
            TimingCommand.class,
            SuggestCommand.class,
            FitCommand.class,
            AdaptCommand.class,
            ImportCommand.class,
            ExportCommand.class,
            BenchCommand.class,
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code: 0 ok, 1 failure, 2 usage error. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new ErrorReporter());
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see fixres --help)");
    }
}
