package io.fixres.reproduce;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.report.Table;
import io.fixres.study.ResolutionGridStudy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Table 5 or 9 for every training seed of the plan: the first seed's full grid (every train
 * resolution), and for each further seed the main train resolution's column, at the test
 * resolutions the seed-robust findings compare (the FixRes effect, the fine-tuning gain, Table 9's
 * peak): every seed is read at the test resolutions all seeds have.
 *
 * @param seeds the training seeds, in the plan's order
 * @param grids one grid per seed, in the same order
 */
public record SeededGrids(
        @JsonProperty("seeds") List<Long> seeds,
        @JsonProperty("grids") List<ResolutionGridStudy.Result> grids) {

    public SeededGrids {
        seeds = List.copyOf(seeds);
        grids = List.copyOf(grids);
        if (seeds.size() != grids.size() || seeds.isEmpty()) {
            throw new IllegalArgumentException(seeds.size() + " seeds for " + grids.size() + " grids");
        }
    }

    /** The first seed's full grid: the table the report shows beside the paper's. */
    public ResolutionGridStudy.Result first() {
        return grids.get(0);
    }

    /** For each seed, its accuracies at {@code trainResolution} at {@link #testResolutions()}, in that order. */
    public List<List<ResolutionAccuracy>> column(int trainResolution, Function<ResolutionGridStudy.Cell, ResolutionAccuracy> value) {
        List<Integer> ks = testResolutions();
        List<List<ResolutionAccuracy>> out = new ArrayList<>();
        for (ResolutionGridStudy.Result grid : grids) {
            out.add(grid.cells().stream().filter(c -> c.trainResolution() == trainResolution
                    && ks.contains(c.testResolution())).map(value).toList());
        }
        return out;
    }

    /** The test resolutions every seed was measured at, in the first grid's order. */
    public List<Integer> testResolutions() {
        return first().testResolutions().stream()
                .filter(k -> grids.stream().allMatch(g -> g.testResolutions().contains(k))).toList();
    }

    /**
     * Top-1 at {@code trainResolution} for each seed, with the seeds' mean and standard deviation,
     * one row per test resolution.
     */
    public Table acrossSeeds(String title, int trainResolution, Function<ResolutionGridStudy.Cell, ResolutionAccuracy> value) {
        List<String> headers = new ArrayList<>(List.of("test res"));
        seeds.forEach(s -> headers.add("seed " + s));
        headers.add("mean");
        headers.add("sd");
        Table table = new Table(title, headers).numberFormat("%.2f");
        List<List<ResolutionAccuracy>> columns = column(trainResolution, value);
        List<Integer> ks = testResolutions();
        for (int i = 0; i < ks.size(); i++) {
            List<Object> row = new ArrayList<>(List.of(String.valueOf(ks.get(i))));
            double[] top1 = new double[seeds.size()];
            for (int s = 0; s < seeds.size(); s++) {
                top1[s] = columns.get(s).get(i).top1();
                row.add(top1[s]);
            }
            row.add(mean(top1));
            row.add(sd(top1));
            table.row(row);
        }
        return table;
    }

    /** "28, 24, 28 px": each seed's best test resolution at {@code trainResolution}. */
    public String bestResolutions(int trainResolution, Function<ResolutionGridStudy.Cell, ResolutionAccuracy> value) {
        List<String> best = new ArrayList<>();
        for (List<ResolutionAccuracy> column : column(trainResolution, value)) {
            best.add(String.valueOf(io.fixres.eval.ResolutionEvaluation.best(column).testResolution()));
        }
        return String.join(", ", best) + " px";
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    static double sd(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double m = mean(values);
        double ss = 0;
        for (double v : values) {
            ss += (v - m) * (v - m);
        }
        return Math.sqrt(ss / (values.length - 1));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d seeds %s", seeds.size(), seeds);
    }
}
