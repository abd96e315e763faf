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
import io.fixres.study.ClassifierFineTuning;
import io.fixres.stats.BinomialInterval;
import io.fixres.stats.ImageBootstrap;
import io.fixres.stats.Interval;
import io.fixres.stats.Verdict;
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
    /** Every paired interval of the report: 2,000 resamples of the test images, seed 0 (a rerun gives the same). */
    private final ImageBootstrap bootstrap = new ImageBootstrap();
    /** The training seed of the single-model artefacts (Tables 4, 6, 8; Figures 6-8): the plan's first. */
    private long seedOfSingleModel;

    private static final String ACROSS_SEEDS = ", for each training seed; verdict from their mean with a 95% interval "
            + "from bootstrapping the test images jointly across seeds, and every seed on the predicted side";

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
        page.paragraph(capitalised(f.verdict().text()) + ": " + f);
        return f;
    }

    private static String capitalised(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
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
        seedOfSingleModel = plan.firstSeed();
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
        if (plan.seeds().size() > 1) {
            setup.put("training seeds", plan.seeds() + ": the first seed's models at every test resolution, the further "
                    + "seeds' " + plan.mainTrainResolution() + " px models at " + plan.seedTestResolutions()
                    + " (the findings across seeds compare these)");
        }
        setup.put("fine-tuning", plan.fineTuneEpochs() + " epochs on " + plan.fineTuneLimitTrain() + " images max");
        page.keyValues(setup);
    }

    /**
     * Table 5, both halves (first seed), the main column across seeds, and the findings of section
     * 5 of the paper measured over every seed.
     */
    public void table5(SeededGrids grids, int mainTrainRes) throws IOException {
        page.section("Table 5: train and test resolutions (RandomResizedCrop training)");
        ResolutionGridStudy.Result grid = grids.first();
        Table left = grid.withoutFineTuning();
        Table right = grid.withFineTuning();
        page.table(left).table(right);
        List<Table> tables = new ArrayList<>(List.of(left, right));
        if (grids.seeds().size() > 1) {
            page.paragraph("The grids above are the first training seed's (" + grids.seeds().get(0) + "); the models "
                    + "trained at " + mainTrainRes + " px were trained with every seed of the plan:");
            tables.add(grids.acrossSeeds("Top-1 (%) across training seeds, train " + mainTrainRes
                    + " px, no fine-tuning", mainTrainRes, ResolutionGridStudy.Cell::noFineTuning));
            tables.add(grids.acrossSeeds("Top-1 (%) across training seeds, train " + mainTrainRes
                    + " px, fine-tuned at the test resolution", mainTrainRes, ResolutionGridStudy.Cell::fineTuned));
            page.table(tables.get(2)).table(tables.get(3));
        }
        data("table5", grids, tables.toArray(Table[]::new));
        List<Integer> ks = grids.testResolutions();
        List<List<ResolutionAccuracy>> none = grids.column(mainTrainRes, ResolutionGridStudy.Cell::noFineTuning);
        finding(Finding.of("best test resolution > train resolution (RRC training, no fine-tuning)",
                "best top-1 above the train resolution minus best top-1 at or below it" + ACROSS_SEEDS,
                SeedDifference.measure(grids.seeds(), none, acc -> bestAbove(acc, ks, mainTrainRes)
                        - bestAtOrBelow(acc, ks, mainTrainRes), bootstrap),
                "best test resolution %s (train %d px); best above minus best at or below",
                grids.bestResolutions(mainTrainRes, ResolutionGridStudy.Cell::noFineTuning), mainTrainRes));
        List<List<ResolutionAccuracy>> both = new ArrayList<>();
        List<List<ResolutionAccuracy>> tuned = grids.column(mainTrainRes, ResolutionGridStudy.Cell::fineTuned);
        for (int s = 0; s < none.size(); s++) {
            List<ResolutionAccuracy> l = new ArrayList<>(none.get(s));
            l.addAll(tuned.get(s));
            both.add(l);
        }
        int n = ks.size();
        finding(Finding.of("fine-tuning classifier + BN at the test resolution beats the best accuracy without it",
                "best top-1 after fine-tuning minus best top-1 without it, over the test resolutions" + ACROSS_SEEDS,
                SeedDifference.measure(grids.seeds(), both, acc -> max(acc, n, 2 * n) - max(acc, 0, n), bootstrap),
                "best fine-tuned at %s vs best without at %s",
                grids.bestResolutions(mainTrainRes, ResolutionGridStudy.Cell::fineTuned),
                grids.bestResolutions(mainTrainRes, ResolutionGridStudy.Cell::noFineTuning)));
        page.table(PaperTables.table5Left()).table(PaperTables.table5Right());
    }

    /** Table 9 (first seed) and the supplement D finding over every seed. */
    public void table9(SeededGrids grids, int mainTrainRes) throws IOException {
        page.section("Table 9: resize + random crop training (supplement D)");
        Table table = grids.first().withoutFineTuning();
        page.table(table);
        List<Table> tables = new ArrayList<>(List.of(table));
        if (grids.seeds().size() > 1) {
            tables.add(grids.acrossSeeds("Top-1 (%) across training seeds, resize + random crop, train " + mainTrainRes
                    + " px", mainTrainRes, ResolutionGridStudy.Cell::noFineTuning));
            page.table(tables.get(1));
        }
        data("table9", grids, tables.toArray(Table[]::new));
        List<Integer> ks = grids.testResolutions();
        finding(Finding.of("without RandomResizedCrop the best test resolution is no longer above the train resolution",
                "best top-1 at or below the train resolution minus best top-1 above it" + ACROSS_SEEDS,
                SeedDifference.measure(grids.seeds(), grids.column(mainTrainRes, ResolutionGridStudy.Cell::noFineTuning),
                        acc -> bestAtOrBelow(acc, ks, mainTrainRes) - bestAbove(acc, ks, mainTrainRes), bootstrap),
                "best test resolution %s (train %d px); best at or below minus best above",
                grids.bestResolutions(mainTrainRes, ResolutionGridStudy.Cell::noFineTuning), mainTrainRes));
        page.table(PaperTables.table9());
    }

    /** Tables 6 and 8 (first seed's main model). */
    public void ablation(AblationStudy.Result ablation) throws IOException {
        page.section("Table 6: ablation of the fine-tuning");
        Table t6 = ablation.table6();
        page.table(t6);
        page.table(PaperTables.table6());
        page.section("Table 8: test DA vs test DA2");
        Table t8 = ablation.table8();
        page.table(t8);
        data("ablation", ablation, t6, t8);
        List<Integer> ks = ablation.testResolutions();
        int n = ks.size();
        List<ResolutionAccuracy> noneThenTuned = new ArrayList<>();
        ks.forEach(k -> noneThenTuned.add(ablation.noFineTuning().get(k)));
        ks.forEach(k -> noneThenTuned.add(ablation.fineTuned(AblationStudy.Variant.CLASSIFIER_BN_TEST_DA, k)));
        int bestK = ks.get(argmax(noneThenTuned.stream().mapToDouble(ResolutionAccuracy::top1).toArray(), n, 2 * n) - n);
        finding(Finding.of("fine-tuning classifier + BN with test DA improves on no fine-tuning at its best resolution",
                "top-1 after fine-tuning minus top-1 without it, at the resolution where the fine-tuned model is best "
                        + "(first seed; the choice of resolution is resampled with the images)",
                SeedDifference.measure(List.of(seedOfSingleModel), List.of(noneThenTuned), acc -> {
                    int best = argmax(acc, n, 2 * n);
                    return acc[best] - acc[best - n];
                }, bootstrap),
                "%.2f vs %.2f at %d px", ablation.fineTuned(AblationStudy.Variant.CLASSIFIER_BN_TEST_DA, bestK).top1(),
                ablation.noFineTuning().get(bestK).top1(), bestK));
        List<ResolutionAccuracy> daThenDa2 = new ArrayList<>();
        ks.forEach(k -> daThenDa2.add(ablation.fineTuned(AblationStudy.Variant.CLASSIFIER_BN_TEST_DA, k)));
        ks.forEach(k -> daThenDa2.add(ablation.fineTuned(AblationStudy.Variant.CLASSIFIER_BN_TEST_DA2, k)));
        finding(Finding.of("test DA2 is at least as good as test DA (paper: +0.1)",
                "mean over the test resolutions of top-1 with test DA2 minus top-1 with test DA (first seed)",
                SeedDifference.measure(List.of(seedOfSingleModel), List.of(daThenDa2), acc -> {
                    double sum = 0;
                    for (int i = 0; i < n; i++) {
                        sum += acc[n + i] - acc[i];
                    }
                    return sum / n;
                }, bootstrap),
                "mean difference over %s px", ks));
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
        double error = atTrain.fit().maxAbsCdfError();
        finding(Finding.byCriterion("a Fréchet law with xi = 0.3 fits the pooled activations closely",
                "max |CDF error| of the fit at the train resolution <= 0.03 (not a difference of accuracies: "
                        + "reproduced or not reproduced)", error <= 0.03 ? Verdict.REPRODUCED : Verdict.NOT_REPRODUCED,
                "max |CDF error| %.4f at %d px (paper: difference barely visible)", error, atTrain.resolution()));
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
        List<ResolutionAccuracy> adaptedThenTuned = new ArrayList<>();
        result.rows().stream().filter(r -> r.row().adaptation() != null && r.row().fineTuning() == null)
                .forEach(r -> adaptedThenTuned.addAll(r.accuracies()));
        int adapted = adaptedThenTuned.size();
        // the paper's fine-tuning rows (classifier, classifier + BN); the label-free recalibrations are not fine-tunings
        result.rows().stream().filter(r -> r.row().adaptation() == null
                        && (r.row().fineTuning() == ClassifierFineTuning.Scope.CLASSIFIER
                        || r.row().fineTuning() == ClassifierFineTuning.Scope.CLASSIFIER_AND_BATCH_NORM))
                .forEach(r -> adaptedThenTuned.addAll(r.accuracies()));
        int all = adaptedThenTuned.size();
        double[] top1 = adaptedThenTuned.stream().mapToDouble(ResolutionAccuracy::top1).toArray();
        finding(Finding.of("fine-tuning beats the parameter-free adaptations (the paper's conclusion)",
                "best top-1 of the fine-tuning rows minus best top-1 of the adaptation rows, over Table 4's resolutions "
                        + "(first seed)",
                SeedDifference.measure(List.of(seedOfSingleModel), List.of(adaptedThenTuned),
                        acc -> max(acc, adapted, all) - max(acc, 0, adapted), bootstrap),
                "best fine-tuned %.2f vs best adapted %.2f", max(top1, adapted, all), max(top1, 0, adapted)));
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
        Interval rates = BinomialInterval.newcombeDifference(b.stepsAtChangePoints().decreases(),
                b.stepsAtChangePoints().steps(), b.stepsElsewhere().decreases(), b.stepsElsewhere().steps());
        finding(Finding.byCriterion("accuracy drops more often right after the final feature map grows than elsewhere",
                "share of 1-pixel steps that lose accuracy at the change points minus elsewhere, with Newcombe's 95% "
                        + "interval (the steps taken as independent); verdict from its sign",
                Verdict.ofPositiveDifference(rates.low(), rates.high()),
                "%d of %d steps at change points lost accuracy vs %d of %d elsewhere (stride %d): %s points",
                b.stepsAtChangePoints().decreases(), b.stepsAtChangePoints().steps(),
                b.stepsElsewhere().decreases(), b.stepsElsewhere().steps(), b.totalStride(), rates.formatSigned(1)));
    }

    /** Section 3: predicted vs measured optimum. */
    public void suggestion(ResolutionSuggestion s, SweepResult rrcSweep) throws IOException {
        page.section("Section 3: apparent object size predicts the best test resolution");
        int measured = rrcSweep.borderEffects().best().testResolution();
        // insertion order, not Map.of's (which changes from one JVM to the next): the committed report stays put
        Map<String, String> values = new LinkedHashMap<>();
        values.put("E[sigma] (closed form)", String.format(java.util.Locale.ROOT, "%.4f", s.expectedSigma()));
        values.put("equalising test resolution", String.format(java.util.Locale.ROOT, "%.1f px", s.equalisingTestRes()));
        values.put("nearest stride-aligned", s.alignedTestRes() + " px");
        values.put("measured best (1-pixel sweep)", measured + " px");
        page.keyValues(values);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("suggestion", s);
        data.put("measured_best", rrcSweep.borderEffects().best());
        data("section3", data);
        finding(Finding.byCriterion("the apparent-size analysis predicts the measured optimum within one stride",
                "|best resolution of the 1-pixel sweep - predicted resolution| <= the network's total stride",
                Math.abs(measured - s.equalisingTestRes()) <= s.stride() ? Verdict.REPRODUCED : Verdict.NOT_REPRODUCED,
                "predicted %.1f px, measured %d px (stride %d); paper: 224 -> ~280 predicted, 288 measured",
                s.equalisingTestRes(), measured, s.stride()));
    }

    /** Table 7: runtime on this machine. */
    public void table7(TimingStudy.Result timing) throws IOException {
        page.section("Table 7: training and fine-tuning time per batch");
        Table table = timing.table();
        page.table(table);
        data("table7", timing, table);
        page.table(PaperTables.table7());
    }

    private static double bestAbove(double[] acc, List<Integer> ks, int trainRes) {
        double best = Double.NaN;
        for (int i = 0; i < ks.size(); i++) {
            if (ks.get(i) > trainRes && !(acc[i] <= best)) {
                best = acc[i];
            }
        }
        return best;
    }

    private static double bestAtOrBelow(double[] acc, List<Integer> ks, int trainRes) {
        double best = Double.NaN;
        for (int i = 0; i < ks.size(); i++) {
            if (ks.get(i) <= trainRes && !(acc[i] <= best)) {
                best = acc[i];
            }
        }
        return best;
    }

    /** Largest of {@code acc[from..to)}. */
    private static double max(double[] acc, int from, int to) {
        return acc[argmax(acc, from, to)];
    }

    /** Index of the largest of {@code acc[from..to)}; the first (lowest resolution) wins ties. */
    private static int argmax(double[] acc, int from, int to) {
        int best = from;
        for (int i = from + 1; i < to; i++) {
            if (acc[i] > acc[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The wall time of each stage in this run (a cached stage only read its result). */
    public void stageTimes(List<StageTime> times) throws IOException {
        page.section("Stage times");
        Table table = StageTime.table(times);
        page.table(table);
        AtomicFiles.writeString(out.resolve("data").resolve("stage-times.csv"), table.toCsv());
    }

    /** Writes the page, the Markdown and the findings summary; returns the HTML file. */
    public Path write() throws IOException {
        page.section("Findings");
        findings.forEach(f -> page.paragraph(f.verdict() + " - " + f + " (criterion: " + f.criterion() + ")"));
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
