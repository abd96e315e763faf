package io.fixres.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The four text forms of a {@link Table}. */
final class TableRenderers {
    private static final String CSV_LINE_END = "\r\n";

    private TableRenderers() {}

    // ---- Markdown: a GitHub pipe table, padded so the raw file reads as a table too.

    static String markdown(Table table) {
        int columns = table.columnCount();
        List<String[]> lines = new ArrayList<>();
        lines.add(table.headers().stream().map(Escape::markdown).toArray(String[]::new));
        List<Boolean> isGroupLine = new ArrayList<>();
        isGroupLine.add(false);
        for (int r = 0; r < table.rowCount(); r++) {
            if (table.startsGroup(r)) {
                String[] group = blankRow(columns);
                group[0] = "**" + Escape.markdown(table.groupOf(r)) + "**";
                lines.add(group);
                isGroupLine.add(true);
            }
            String[] cells = new String[columns];
            for (int c = 0; c < columns; c++) {
                Cell cell = table.cell(r, c);
                String text = Escape.markdown(cell.display());
                cells[c] = cell.isBest() ? "**" + text + "**" : text;
            }
            lines.add(cells);
            isGroupLine.add(false);
        }
        boolean[] right = numericColumns(table);
        int[] widths = widths(lines, columns, 3); // "--:" is the shortest delimiter cell

        StringBuilder out = new StringBuilder();
        if (!table.title().isEmpty()) {
            out.append("**").append(Escape.markdown(table.title())).append("**\n\n");
        }
        appendPipeLine(out, lines.get(0), widths, right);
        out.append('|');
        for (int c = 0; c < columns; c++) {
            out.append(' ').append(right[c] ? "-".repeat(widths[c] - 1) + ":" : "-".repeat(widths[c])).append(" |");
        }
        out.append('\n');
        for (int i = 1; i < lines.size(); i++) {
            appendPipeLine(out, lines.get(i), widths, isGroupLine.get(i) ? new boolean[columns] : right);
        }
        return out.toString();
    }

    private static void appendPipeLine(StringBuilder out, String[] cells, int[] widths, boolean[] right) {
        out.append('|');
        for (int c = 0; c < cells.length; c++) {
            out.append(' ').append(pad(cells[c], widths[c], right[c])).append(" |");
        }
        out.append('\n');
    }

    // ---- CSV (RFC 4180): the data only, as displayed.

    static String csv(Table table) {
        boolean groups = table.hasGroups();
        StringBuilder out = new StringBuilder();
        List<String> header = new ArrayList<>();
        if (groups) {
            header.add("group");
        }
        header.addAll(table.headers());
        appendCsvLine(out, header);
        for (int r = 0; r < table.rowCount(); r++) {
            List<String> fields = new ArrayList<>();
            if (groups) {
                fields.add(table.groupOf(r) == null ? "" : table.groupOf(r));
            }
            for (Cell cell : table.rowCells(r)) {
                fields.add(cell.display());
            }
            appendCsvLine(out, fields);
        }
        return out.toString();
    }

    private static void appendCsvLine(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(csvField(fields.get(i)));
        }
        out.append(CSV_LINE_END);
    }

    static String csvField(String field) {
        boolean quote = field.indexOf(',') >= 0 || field.indexOf('"') >= 0
                || field.indexOf('\n') >= 0 || field.indexOf('\r') >= 0;
        return quote ? '"' + field.replace("\"", "\"\"") + '"' : field;
    }

    // ---- Terminal text: fixed-width columns, two spaces apart, best marked with a trailing '*'.

    static String text(Table table) {
        int columns = table.columnCount();
        boolean[] right = numericColumns(table);
        // Columns with a mark give every number a one-character suffix ('*' or ' '), so digits stay aligned.
        boolean[] marked = new boolean[columns];
        for (int r = 0; r < table.rowCount(); r++) {
            for (int c = 0; c < columns; c++) {
                marked[c] |= table.cell(r, c).isBest();
            }
        }
        List<String[]> lines = new ArrayList<>();
        String[] header = new String[columns];
        for (int c = 0; c < columns; c++) {
            header[c] = table.headers().get(c) + (marked[c] && right[c] ? " " : "");
        }
        lines.add(header);
        for (int r = 0; r < table.rowCount(); r++) {
            String[] cells = new String[columns];
            for (int c = 0; c < columns; c++) {
                Cell cell = table.cell(r, c);
                String suffix = !marked[c] ? "" : cell.isBest() ? "*" : cell.isNumber() ? " " : "";
                cells[c] = cell.display() + suffix;
            }
            lines.add(cells);
        }
        int[] widths = widths(lines, columns, 1);

        StringBuilder out = new StringBuilder();
        if (!table.title().isEmpty()) {
            out.append(table.title()).append('\n');
        }
        appendTextLine(out, lines.get(0), widths, right);
        String[] rule = new String[columns];
        for (int c = 0; c < columns; c++) {
            rule[c] = "-".repeat(widths[c]);
        }
        appendTextLine(out, rule, widths, right);
        for (int r = 0; r < table.rowCount(); r++) {
            if (table.startsGroup(r)) {
                out.append(table.groupOf(r)).append(":\n");
            }
            appendTextLine(out, lines.get(r + 1), widths, right);
        }
        return out.toString();
    }

    private static void appendTextLine(StringBuilder out, String[] cells, int[] widths, boolean[] right) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                line.append("  ");
            }
            line.append(pad(cells[c], widths[c], right[c]));
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    // ---- HTML: a fragment styled by the report's CSS (classes "num", "group").

    static String html(Table table) {
        int columns = table.columnCount();
        boolean[] right = numericColumns(table);
        StringBuilder out = new StringBuilder("<table>\n");
        if (!table.title().isEmpty()) {
            out.append("<caption>").append(Escape.html(table.title())).append("</caption>\n");
        }
        out.append("<thead><tr>");
        for (int c = 0; c < columns; c++) {
            out.append(right[c] ? "<th class=\"num\">" : "<th>").append(Escape.html(table.headers().get(c))).append("</th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        for (int r = 0; r < table.rowCount(); r++) {
            if (table.startsGroup(r)) {
                out.append("<tr class=\"group\"><th colspan=\"").append(columns).append("\">")
                        .append(Escape.html(table.groupOf(r))).append("</th></tr>\n");
            }
            out.append("<tr>");
            for (int c = 0; c < columns; c++) {
                Cell cell = table.cell(r, c);
                String text = Escape.html(cell.display());
                out.append(right[c] ? "<td class=\"num\">" : "<td>")
                        .append(cell.isBest() ? "<b>" + text + "</b>" : text).append("</td>");
            }
            out.append("</tr>\n");
        }
        return out.append("</tbody>\n</table>\n").toString();
    }

    // ---- shared

    private static boolean[] numericColumns(Table table) {
        boolean[] right = new boolean[table.columnCount()];
        for (int c = 0; c < right.length; c++) {
            right[c] = table.isNumericColumn(c);
        }
        return right;
    }

    private static String[] blankRow(int columns) {
        String[] row = new String[columns];
        Arrays.fill(row, "");
        return row;
    }

    private static int[] widths(List<String[]> lines, int columns, int minimum) {
        int[] widths = new int[columns];
        Arrays.fill(widths, minimum);
        for (String[] line : lines) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], line[c].length());
            }
        }
        return widths;
    }

    private static String pad(String text, int width, boolean right) {
        String space = " ".repeat(Math.max(0, width - text.length()));
        return right ? space + text : text + space;
    }
}
