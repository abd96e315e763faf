package io.fixres.cli;

import io.fixres.data.DataException;
import io.fixres.io.InvalidParameterException;
import io.fixres.train.TrainingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;

/**
 * Turns failures into one clear line on stderr and exit code 1. Expected failures (bad data,
 * bad arguments, a checkpoint that does not match its card) print their message only; anything
 * else also prints the stack trace, since it is a bug.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        String command = cli.getCommandName();
        if (t instanceof CommandLine.ParameterException pe) {
            cli.getErr().println("fixres " + command + ": " + pe.getMessage());
            return 2;
        }
        boolean expected = t instanceof DataException || t instanceof IllegalArgumentException
                || t instanceof IllegalStateException || t instanceof TrainingException
                || t instanceof IOException;
        String message = t instanceof InvalidParameterException p ? p.messageNaming(FlagNames::flagOf) : t.getMessage();
        if (e instanceof UncheckedIOException u && t != null && !String.valueOf(t).equals(u.getMessage())) {
            // the wrapper was given its own message, which names the file ("stage table7 (runs/table7.json): ...");
            // the cause alone (a parse error) often does not
            message = u.getMessage().contains(String.valueOf(t.getMessage())) ? u.getMessage()
                    : u.getMessage() + ": " + t.getMessage();
        }
        cli.getErr().println("fixres " + command + ": error: " + message);
        if (!expected || System.getenv("FIXRES_DEBUG") != null) {
            t.printStackTrace(cli.getErr());
        }
        return 1;
    }
}
