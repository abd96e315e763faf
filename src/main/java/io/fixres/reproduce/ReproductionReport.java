package io.fixres.reproduce;

import io.fixres.eval.ResolutionAccuracy;
import io.fixres.report.HtmlReport;
import io.fixres.report.Json;
import io.fixres.report.AtomicFiles;
import io.fixres.report.Table;
import io.fixres.train.AblationStudy;
import io.fixres.train.ResolutionGridStudy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code report/index.html} (one self-contained page), {@code report/report.md}, the figures
 * under {@code report/figures/} and every number under {@code report/data/}: each supplement artefact
 * measured on the data, beside the paper's ImageNet numbers, with one line saying whether the finding
 * reproduces.
 */
public final class ReproductionReport {
    private final Path out;
    private final HtmlReport page;
    private final List<Finding> findings = new ArrayList<>();
    private final Map<String, Object> summary = new LinkedHashMap<>();

    public ReproductionReport(Path out, String title) throws IOException {
        this.out = out;
        this.page = new HtmlReport(title);
        Files.createDirectories(out.resolve("data"));
        Files.createDirectories(out.resolve("figures"));
    }

    public Path figure(String name) {
        return out.resolve("figures").resolve(name);
    }

    public HtmlReport page() { return page; }

    public List<Finding> findings() { return findings; }

    /** Adds a finding to the page (as a paragraph) and to the summary. */
    public Finding finding(Finding f) {
        findings.add(f);
        page.paragraph((f.reproduced() ? "Reproduced: " : "Not reproduced: ") + f);
        return f;
    }

    /** Writes {@code data/NAME.json} and, for each table, {@code data/NAME-i.csv}. */
    public void data(String name, Object json, Table... tables) throws IOException {
        Json.write(out.resolve("data").resolve(name + ".json"), json);
        for (int i = 0; i < tables.length; i++) {
            String suffix = tables.length == 1 ? "" : "-" + (i + 1);
            AtomicFiles.writeString(out.resolve("data").resolve(name + suffix + ".csv"), tables[i].toCsv());
        }
    }

    public void put(String key, Object value) { summary.put(key, value); }

    /** Table 5, both halves, with the findings of section 5 of the paper. */
    public void table5(ResolutionGridStudy.Result grid, int mainTrainRes) throws IOException {
        page.section("Table 5: train and test resolutions (RandomResizedCrop training)");
        Table left = grid.withoutFineTuning();
        Table right = grid.withFineTuning();
        page.table(left).table(right);
        data("table5", grid, left, right);
        ResolutionAccuracy bestNone = best(grid, mainTrainRes, ResolutionGridStudy.Cell::noFineTuning);
        ResolutionAccuracy bestTuned = best(grid, mainTrainRes, ResolutionGridStudy.Cell::fineTuned);
        finding(Finding.of("best test resolution > train resolution (RRC training, no fine-tuning)",
                bestNone.testResolution() > mainTrainRes, "%d vs %d px (top-1 %.2f)",
                bestNone.testResolution(), mainTrainRes, bestNone.top1()));
        finding(Finding.of("fine-tuning classifier + BN at the test resolution beats the best accuracy without it",
                bestTuned.top1() > bestNone.top1(), "%.2f at %d px vs %.2f at %d px (%+.2f)",
                bestTuned.top1(), bestTuned.testResolution(), bestNone.top1(), bestNone.testResolution(),
                bestTuned.top1() - bestNone.top1()));
        page.table(PaperTables.table5Left()).table(PaperTables.table5Right());
    }

    /** Table 9 and the supplement D finding. */
    public void table9(ResolutionGridStudy.Result grid, int mainTrainRes) throws IOException {
        page.section("Table 9: resize + random crop training (supplement D)");
        Table table = grid.withoutFineTuning();
        page.table(table);
        data("table9", grid, table);
        ResolutionAccuracy best = best(grid, mainTrainRes, ResolutionGridStudy.Cell::noFineTuning);
        finding(Finding.of("without RandomResizedCrop the best test resolution is no longer above the train resolution",
                best.testResolution() <= mainTrainRes, "%d vs %d px (top-1 %.2f)",
                best.testResolution(), mainTrainRes, best.top1()));
        page.table(PaperTables.table9());
    }

    /** Tables 6 and 8. */
    public void ablation(AblationStudy.Result ablation) throws IOException {
        page.section("Table 6: ablation of the fine-tuning");
        Table t6 = ablation.table6();
        page.table(t6);
        page.table(PaperTables.table6());
        page.section("Table 8: test DA vs test DA2");
        Table t8 = ablation.table8();
        page.table(t8);
        data("ablation", ablation, t6, t8);
        int bestK = ablation.testResolutions().stream()
                .max(Comparator.comparingDouble(k -> ablation.fineTuned(AblationStudy.Variant.CLASSIFIER_BN_TEST_DA, k).top1()))
                .orElseThrow();
        double bnTest = ablation.fineTuned(AblationStudy.Variant.CLASSIFIER_BN_TEST_DA, bestK).top1();
        double none = ablation.noFineTuning().get(bestK).top1();
        finding(Finding.of("fine-tuning classifier + BN with test DA improves on no fine-tuning at its best resolution",
                bnTest > none, "%.2f vs %.2f at %d px", bnTest, none, bestK));
        double diff = ablation.testResolutions().stream().mapToDouble(k ->
                ablation.fineTuned(AblationStudy.Variant.CLASSIFIER_BN_TEST_DA2, k).top1()
                        - ablation.fineTuned(AblationStudy.Variant.CLASSIFIER_BN_TEST_DA, k).top1()).average().orElse(0);
        finding(Finding.of("test DA2 is at least as good as test DA (paper: +0.1)", diff >= 0,
                "mean difference %+.2f over %s px", diff, ablation.testResolutions()));
        page.table(PaperTables.table8());
    }

    private static ResolutionAccuracy best(ResolutionGridStudy.Result grid, int trainRes,
                                           java.util.function.Function<ResolutionGridStudy.Cell, ResolutionAccuracy> value) {
        return grid.cells().stream().filter(c -> c.trainResolution() == trainRes).map(value)
                .max(Comparator.comparingDouble(ResolutionAccuracy::top1)
                        .thenComparing(r -> -r.testResolution()))
                .orElseThrow(() -> new IllegalStateException("no cell at train resolution " + trainRes));
    }

    /** Writes the page, the Markdown and the findings summary; returns the HTML file. */
    public Path write() throws IOException {
        page.section("Findings");
        findings.forEach(f -> page.paragraph((f.reproduced() ? "yes - " : "no - ") + f));
        summary.put("findings", findings);
        Json.write(out.resolve("data").resolve("summary.json"), summary);
        Path html = out.resolve("index.html");
        page.write(html, out.resolve("report.md"));
        List<String> problems = HtmlReport.validateImages(html);
        if (!problems.isEmpty()) {
            throw new IOException("the report " + html + " has broken figures: " + problems);
        }
        return html;
    }
}
