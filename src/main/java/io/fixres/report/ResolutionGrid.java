package io.fixres.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Top-1 accuracy for every (train resolution, test resolution) pair, laid out as the supplement's
 * Table 5: one row per test resolution, one column per train resolution, the best test resolution
 * of each trained model (column) marked. Pairs never measured are left empty.
 */
public final class ResolutionGrid {
    public static final String CORNER_HEADER = "test \\ train";

    private final Map<Integer, Map<Integer, Double>> top1ByTrainThenTest = new TreeMap<>();
    private final SortedSet<Integer> testResolutions = new TreeSet<>();

    /** Records the top-1 accuracy (percent) of the model trained at {@code trainRes} tested at {@code testRes}. */
    public ResolutionGrid put(int trainRes, int testRes, double top1) {
        if (trainRes <= 0 || testRes <= 0) {
            throw new IllegalArgumentException(
                    "resolutions must be positive, got train " + trainRes + ", test " + testRes);
        }
        top1ByTrainThenTest.computeIfAbsent(trainRes, k -> new TreeMap<>()).put(testRes, top1);
        testResolutions.add(testRes);
        return this;
    }

    /** Rows and columns in increasing resolution, top-1 with one decimal, best per column marked. */
    public Table toTable(String title) {
        List<String> headers = new ArrayList<>();
        headers.add(CORNER_HEADER);
        top1ByTrainThenTest.keySet().forEach(train -> headers.add(String.valueOf(train)));
        Table table = new Table(title, headers).numberFormat(Table.ONE_DECIMAL);
        for (int test : testResolutions) {
            List<Object> row = new ArrayList<>();
            row.add(String.valueOf(test));
            for (Map<Integer, Double> column : top1ByTrainThenTest.values()) {
                row.add(column.get(test)); // null -> empty cell
            }
            table.row(row);
        }
        return table.markBestPerColumn();
    }
}
