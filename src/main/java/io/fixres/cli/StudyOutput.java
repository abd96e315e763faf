package io.fixres.cli;

import io.fixres.io.AtomicFiles;
import io.fixres.io.Json;
import io.fixres.report.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/** Writes a study's JSON and Markdown (title, the command that made it, the tables) and prints the tables. */
final class StudyOutput {
    private StudyOutput() {}

    /** The command line as typed, for the Markdown file. */
    static String commandLine(CommandLine.Model.CommandSpec spec) {
        return "fixres " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    static void write(Path out, String name, String title, String command, Object json, List<Table> tables)
            throws IOException {
        Files.createDirectories(out);
        StringBuilder markdown = new StringBuilder("# ").append(title).append("\n\n```\n").append(command)
                .append("\n```\n");
        for (Table table : tables) {
            markdown.append('\n').append(table.toMarkdown());
            System.out.println();
            System.out.print(table.toText());
        }
        Json.write(out.resolve(name + ".json"), json);
        AtomicFiles.writeString(out.resolve(name + ".md"), markdown.toString());
        System.out.println();
        System.out.println("wrote " + out.resolve(name + ".json") + ", " + out.resolve(name + ".md"));
    }
}
