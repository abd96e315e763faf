package io.fixres.reproduce;

import io.fixres.study.TimingStudy;

import io.fixres.activation.ActivationFits;
import io.fixres.study.AdaptationStudy;
import io.fixres.study.BorderEffects;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.study.ResolutionSuggestion;
import io.fixres.study.RuntimeTable;
import io.fixres.study.SweepReport;
import io.fixres.study.SweepResult;
import io.fixres.report.HtmlReport;
import io.fixres.io.Json;
import io.fixres.io.AtomicFiles;
import io.fixres.report.Table;
import io.fixres.study.AblationStudy;
import io.fixres.study.ResolutionGridStudy;
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

    /** The first section: what was run, on what, with which settings. */
    public void setup(StudyPlan plan, String command) {
        page.paragraph("Every table and figure of the supplement of Touvron et al., Fixing the train-test resolution "
                + "discrepancy (NeurIPS 2019), measured with fixres on this data, each beside the paper's ImageNet "
                + "ResNet-50 numbers, with one line saying whether the finding reproduces.");
        page.section("Setup");
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("command", command);
        setup.put("profile", plan.profile());
        setup.put("network", plan.architecture() + " (width x" + plan.width() + ")");
        setup.put("training", plan.epochs() + " epochs on " + plan.limitTrain() + " images max, batch "
                + plan.batchSize() + ", lr " + plan.learningRate() + " (cosine), SGD momentum 0.9, wd 5e-4");
        setup.put("train resolutions", plan.gridTrainResolutions() + " (main model: " + plan.mainTrainResolution() + " px)");
        setup.put("test resolutions", plan.gridTestResolutions() + " on " + plan.limitTest() + " test images max");
        setup.put("fine-tuning", plan.fineTuneEpochs() + " epochs on " + plan.fineTuneLimitTrain() + " images max");
        page.keyValues(setup);
    }

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

    /** Figure 6 and the fit quality the supplement claims ("the fit is so exact ..."). */
    public void figure6(List<ActivationFits.ResolutionFit> fits, Path png, int trainRes) throws IOException {
        page.section("Figure 6: Fréchet fit of the pooled activations (supplement A.1)");
        Path figure = figure("fig6-frechet-fit.png");
        Files.copy(png, figure, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        page.image(figure, "Empirical CDF of the non-zero pooled activations and the least-squares Fréchet fit "
                + "(xi = 0.3), at the train resolution and a higher test resolution");
        Table table = ActivationFits.table("Fréchet parameters per test resolution", fits);
        page.table(table);
        data("figure6", fits, table);
        ActivationFits.ResolutionFit atTrain = fits.stream().filter(f -> f.resolution() == trainRes).findFirst()
                .orElse(fits.get(0));
        finding(Finding.of("a Fréchet law with xi = 0.3 fits the pooled activations closely",
                atTrain.fit().maxAbsCdfError() <= 0.03, "max |CDF error| %.4f at %d px (paper: difference barely visible)",
                atTrain.fit().maxAbsCdfError(), atTrain.resolution()));
    }

    /** Table 4 and the supplement's conclusion that adaptation does not beat fine-tuning. */
    public void table4(AdaptationStudy.Result result) throws IOException {
        page.section("Table 4: distribution adaptation vs fine-tuning (supplement A)");
        Table table = result.table("Top-1 (%) with distribution adaptation, trained at " + result.trainResolution() + " px");
        page.table(table);
        Path figure = figure("table4-adaptation.png");
        result.plot("Table 4 as curves: top-1 against test resolution").writePng(figure, 900, 540);
        page.image(figure, "Table 4's rows against the test resolution");
        data("table4", result, table);
        List<AdaptationStudy.RowResult> rows = result.rows();
        double bestAdapted = rows.stream().filter(r -> r.row().adaptation() != null && r.row().fineTuning() == null)
                .flatMap(r -> r.accuracies().stream()).mapToDouble(ResolutionAccuracy::top1).max().orElse(Double.NaN);
        double bestFineTuned = rows.stream().filter(r -> r.row().adaptation() == null && r.row().fineTuning() != null)
                .flatMap(r -> r.accuracies().stream()).mapToDouble(ResolutionAccuracy::top1).max().orElse(Double.NaN);
        finding(Finding.of("fine-tuning beats the parameter-free adaptations (the paper's conclusion)",
                bestFineTuned > bestAdapted, "best fine-tuned %.2f vs best adapted %.2f", bestFineTuned, bestAdapted));
        page.table(PaperTables.table4());
    }

    /** Figures 7 and 8: 1-pixel sweeps with the final feature map's change points. */
    public void sweeps(List<SweepResult> sweeps) throws IOException {
        page.section("Figures 7 and 8: 1-pixel resolution sweep and border effects (supplement B, D)");
        Path figure = figure("fig7-fig8-sweep.png");
        SweepReport.plot(sweeps, "Top-1 by test resolution in 1-pixel steps (dashed: the final feature map grows)")
                .writePng(figure, 1000, 560);
        page.image(figure, "Figure 7 (RandomResizedCrop training) and Figure 8 (resize + random crop) in one plot");
        for (SweepResult s : sweeps) {
            page.code(SweepReport.summary(s));
        }
        data("sweeps", sweeps, SweepReport.table(sweeps));
        SweepResult rrc = sweeps.get(0);
        BorderEffects b = rrc.borderEffects();
        finding(Finding.of("accuracy drops more often right after the final feature map grows than elsewhere",
                b.stepsAtChangePoints().decreaseRate() > b.stepsElsewhere().decreaseRate(),
                "%d of %d steps at change points lost accuracy vs %d of %d elsewhere (stride %d)",
                b.stepsAtChangePoints().decreases(), b.stepsAtChangePoints().steps(),
                b.stepsElsewhere().decreases(), b.stepsElsewhere().steps(), b.totalStride()));
    }

    /** Section 3: predicted vs measured optimum. */
    public void suggestion(ResolutionSuggestion s, SweepResult rrcSweep) throws IOException {
        page.section("Section 3: apparent object size predicts the best test resolution");
        int measured = rrcSweep.borderEffects().best().testResolution();
        page.keyValues(new LinkedHashMap<>(Map.of(
                "E[sigma] (closed form)", String.format(java.util.Locale.ROOT, "%.4f", s.expectedSigma()),
                "equalising test resolution", String.format(java.util.Locale.ROOT, "%.1f px", s.equalisingTestRes()),
                "nearest stride-aligned", s.alignedTestRes() + " px",
                "measured best (1-pixel sweep)", measured + " px")));
        data("section3", Map.of("suggestion", s, "measured_best", rrcSweep.borderEffects().best()));
        finding(Finding.of("the apparent-size analysis predicts the measured optimum within one stride",
                Math.abs(measured - s.equalisingTestRes()) <= s.stride(), "predicted %.1f px, measured %d px (stride %d); "
                        + "paper: 224 -> ~280 predicted, 288 measured", s.equalisingTestRes(), measured, s.stride()));
    }

    /** Table 7: runtime on this machine. */
    public void table7(TimingStudy.Result timing) throws IOException {
        page.section("Table 7: training and fine-tuning time per batch");
        Table table = timing.table();
        page.table(table);
        data("table7", timing, table);
        page.table(PaperTables.table7());
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
