package io.fixres.cli;

import io.fixres.activation.AdaptationMethod;
import io.fixres.core.LastBatchNormMode;
import io.fixres.train.LastBatchNormFineTuner.FineTuneAugmentation;
import io.fixres.train.LearningRateSchedule;
import io.fixres.transform.ResizeMode;
import io.fixres.transform.TrainAugmentation;
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
            FixCommand.class,
            DescribeCommand.class,
            TrainCommand.class,
            EvaluateCommand.class,
            ReproduceCommand.class,
            FinetuneCommand.class,
            RecalibrateCommand.class,
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
        return configure(new CommandLine(new Main())).execute(args);
    }

    /**
     * Registers fixres's option converters and error reporting on {@code cli} (this CLI's, or another
     * front end's over the same options, such as fixres-spark's).
     */
    public static CommandLine configure(CommandLine cli) {
        EnumIdConverter.register(cli, LastBatchNormMode.class);
        EnumIdConverter.register(cli, FineTuneAugmentation.class);
        EnumIdConverter.register(cli, TrainAugmentation.class);
        EnumIdConverter.register(cli, ResizeMode.class);
        EnumIdConverter.register(cli, LearningRateSchedule.class);
        EnumIdConverter.register(cli, AdaptationMethod.class);
        EnumIdConverter.register(cli, io.fixres.model.ModelCard.FineTuningMethod.class);
        EnumIdConverter.register(cli, io.fixres.train.Recalibration.Layers.class);
        cli.setExecutionExceptionHandler(new ErrorReporter());
        return cli;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (see fixres --help)");
    }
}
