package io.fixres.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * A titled table of text and number cells, rendered as Markdown, CSV, aligned terminal text or
 * HTML. Rows may be grouped under labels (e.g. "no finetuning" / "finetuned"), and cells may be
 * marked best, the way the paper bolds the best accuracy per column in its tables.
 *
 * <p>Rows are added with {@link #row(Object...)}: a {@code String} becomes text; a {@code double}
 * or {@code float} a number in the table's {@link #numberFormat(String) number format} (one
 * decimal by default, as the paper prints accuracies); other {@code Number}s a whole number;
 * {@code null} an empty cell; a {@link Cell} is used as is.
 */
public final class Table {
    /** How the paper prints top-1/top-5 accuracies. */
    public static final String ONE_DECIMAL = "%.1f";

    /** Which numeric value wins when marking the best cell. */
    public enum Best { HIGHEST, LOWEST }

    private record Row(String group, List<Cell> cells) {}

    private final String title;
    private final List<String> headers;
    private final List<Row> rows = new ArrayList<>();
    private String numberFormat = ONE_DECIMAL;
    private String group;

    public Table(String title, String... headers) {
        this(title, Arrays.asList(headers));
    }

    public Table(String title, List<String> headers) {
        if (headers.isEmpty()) {
            throw new IllegalArgumentException("table '" + title + "' needs at least one column header");
        }
        this.title = title == null ? "" : title;
        this.headers = List.copyOf(headers);
    }

    /** Format for {@code double}/{@code float} cells added after this call. */
    public Table numberFormat(String format) {
        Cell.checkFormat(format);
        this.numberFormat = format;
        return this;
    }

    /** Rows added after this call belong to the group {@code label} ({@code null}: no group). */
    public Table group(String label) {
        this.group = label;
        return this;
    }

    public Table row(Object... cells) {
        return row(Arrays.asList(cells));
    }

    public Table row(List<?> cells) {
        if (cells.size() != headers.size()) {
            throw new IllegalArgumentException("row " + (rows.size() + 1) + " of table '" + title + "' has "
                    + cells.size() + " cells, expected " + headers.size() + " (one per header " + headers + ")");
        }
        List<Cell> converted = new ArrayList<>(cells.size());
        for (Object cell : cells) {
            converted.add(toCell(cell));
        }
        rows.add(new Row(group, converted));
        return this;
    }

    private Cell toCell(Object cell) {
        if (cell == null) {
            return Cell.empty();
        } else if (cell instanceof Cell c) {
            return c;
        } else if (cell instanceof Double || cell instanceof Float) {
            return Cell.number(((Number) cell).doubleValue(), numberFormat);
        } else if (cell instanceof Number n) {
            return Cell.number(n.doubleValue(), "%.0f");
        } else {
            return Cell.text(cell.toString());
        }
    }

    public Table markBestPerColumn() {
        return markBestPerColumn(Best.HIGHEST);
    }

    /** Marks, in every column holding numbers, the cells with the best finite value (all of them on a tie). */
    public Table markBestPerColumn(Best goal) {
        for (int c = 0; c < headers.size(); c++) {
            final int column = c;
            markBest(goal, rows.size(), r -> rows.get(r).cells(), r -> column);
        }
        return this;
    }

    public Table markBestPerRow() {
        return markBestPerRow(Best.HIGHEST);
    }

    /** Marks, in every row holding numbers, the cells with the best finite value (all of them on a tie). */
    public Table markBestPerRow(Best goal) {
        for (Row row : rows) {
            markBest(goal, headers.size(), i -> row.cells(), i -> i);
        }
        return this;
    }

    /** Marks the best among {@code count} cells, the i-th being {@code cellsOf(i).get(indexOf(i))}. */
    private static void markBest(Best goal, int count, IntFunction<List<Cell>> cellsOf, IntUnaryOperator indexOf) {
        double best = Double.NaN;
        for (int i = 0; i < count; i++) {
            Cell cell = cellsOf.apply(i).get(indexOf.applyAsInt(i));
            if (cell.isNumber() && Double.isFinite(cell.value()) && (Double.isNaN(best) || beats(goal, cell.value(), best))) {
                best = cell.value();
            }
        }
        if (Double.isNaN(best)) {
            return;
        }
        for (int i = 0; i < count; i++) {
            List<Cell> cells = cellsOf.apply(i);
            int index = indexOf.applyAsInt(i);
            Cell cell = cells.get(index);
            if (cell.isNumber() && cell.value() == best) {
                cells.set(index, cell.withBest(true));
            }
        }
    }

    private static boolean beats(Best goal, double candidate, double best) {
        return goal == Best.HIGHEST ? candidate > best : candidate < best;
    }

    public String title() {
        return title;
    }

    public List<String> headers() {
        return headers;
    }

    public int rowCount() {
        return rows.size();
    }

    public int columnCount() {
        return headers.size();
    }

    public Cell cell(int row, int column) {
        return rows.get(row).cells().get(column);
    }

    /** The cells of one row, read-only. */
    public List<Cell> rowCells(int row) {
        return Collections.unmodifiableList(rows.get(row).cells());
    }

    /** The group label of a row, or {@code null}. */
    public String groupOf(int row) {
        return rows.get(row).group();
    }

    /** A column is numeric (right-aligned) when it has a number and every non-empty cell is one. */
    boolean isNumericColumn(int column) {
        boolean anyNumber = false;
        for (Row row : rows) {
            Cell cell = row.cells().get(column);
            if (cell.isNumber()) {
                anyNumber = true;
            } else if (!cell.display().isEmpty()) {
                return false;
            }
        }
        return anyNumber;
    }

    boolean hasGroups() {
        return rows.stream().anyMatch(r -> r.group() != null);
    }

    /** True when row {@code r} starts a new labelled group (its label differs from the previous row's). */
    boolean startsGroup(int r) {
        String label = rows.get(r).group();
        return label != null && (r == 0 || !Objects.equals(label, rows.get(r - 1).group()));
    }

    public String toMarkdown() {
        return TableRenderers.markdown(this);
    }

    /** RFC 4180 CSV (CRLF line ends); no title or best marks; a leading "group" column if rows are grouped. */
    public String toCsv() {
        return TableRenderers.csv(this);
    }

    /** Fixed-width columns for the terminal; best cells carry a trailing {@code *}. */
    public String toText() {
        return TableRenderers.text(this);
    }

    /** An HTML {@code <table>} fragment (title as caption, best cells in {@code <b>}). */
    public String toHtml() {
        return TableRenderers.html(this);
    }

    @Override
    public String toString() {
        return toText();
    }
}
