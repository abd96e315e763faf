package io.fixres.fix;

import io.fixres.eval.ResolutionAccuracy;
import io.fixres.io.Json;
import io.fixres.report.HtmlReport;
import io.fixres.report.LinePlot;
import io.fixres.report.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a {@link FixReport} as fix.json, fix.md and fix.html (self-contained) with its figure; each file atomically. */
public final class FixReportPages {
    public static final String MARKDOWN = "fix.md";
    public static final String HTML = "fix.html";
    public static final String FIGURE = "fix-accuracy.png";

    private FixReportPages() {}

    public static void write(Path dir, FixReport r) throws IOException {
        Json.write(dir.resolve(ResolutionFix.REPORT_JSON), r);
        HtmlReport page = new HtmlReport("fixres fix: " + r.model());
        page.section("Decision").paragraph(r.decision());
        if (!r.probes().isEmpty()) {
            Path figure = dir.resolve(FIGURE);
            plot(r).writePng(figure, 800, 480);
            page.section("Accuracy and latency by test resolution").table(probeTable(r))
                    .image(figure, "Top-1 on the held-out images against test resolution, before the fix (every "
                            + "probed resolution) and after it (training and chosen resolution)");
        } else {
            page.section("Latency by test resolution").table(latencyTable(r));
        }
        if (r.gainAtChosen() != null) {
            Map<String, Object> gains = new LinkedHashMap<>();
            gains.put("fixed at " + r.chosenResolution() + " px vs original at " + r.trainResolution() + " px",
                    r.gainOverTrainRes().describe());
            gains.put("fixed vs original, both at " + r.chosenResolution() + " px", r.gainAtChosen().describe());
            gains.put("fixed vs original, both at " + r.trainResolution() + " px", signed(r.afterAtTrainRes().top1()
                    - r.beforeAtTrainRes().top1()) + " points");
            page.section("Gains (top-1 points, 95% paired bootstrap interval on the same held-out images)").keyValues(gains);
        }
        page.section("Setup").keyValues(setup(r));
        page.write(dir.resolve(HTML), dir.resolve(MARKDOWN));
    }

    static LinePlot plot(FixReport r) {
        double[] x = r.probes().stream().mapToDouble(FixReport.Probe::resolution).toArray();
        double[] y = r.probes().stream().mapToDouble(FixReport.Probe::top1).toArray();
        LinePlot.Builder plot = LinePlot.builder().title("Top-1 by test resolution, before and after the fix")
                .xLabel("test resolution (px)").yLabel("top-1 accuracy (%)").markers(true)
                .series("before (original weights)", x, y);
        List<ResolutionAccuracy> after = r.afterAtTrainRes().testResolution() == r.afterAtChosen().testResolution()
                ? List.of(r.afterAtChosen()) : List.of(r.afterAtTrainRes(), r.afterAtChosen());
        List<ResolutionAccuracy> sorted = after.stream()
                .sorted(java.util.Comparator.comparingInt(ResolutionAccuracy::testResolution)).toList();
        plot.series("after (fixed at " + r.chosenResolution() + " px)",
                sorted.stream().mapToDouble(ResolutionAccuracy::testResolution).toArray(),
                sorted.stream().mapToDouble(ResolutionAccuracy::top1).toArray());
        plot.verticalLine(r.chosenResolution(), "chosen " + r.chosenResolution() + " px");
        return plot.build();
    }

    static Table probeTable(FixReport r) {
        Table t = new Table("Probed resolutions (top-1/top-5 % on " + r.heldOutImages().images()
                + " held-out images; latency ms per image on this machine)", "test res", "round", "top-1 before",
                "top-1 after", "top-5 before", "ms/image batch 1", "ms/image batch " + r.latency().get(0).batchSize(),
                "fits budget").numberFormat("%.2f");
        for (FixReport.Probe p : r.probes()) {
            Object after = "";
            if (p.resolution() == r.chosenResolution()) {
                after = r.afterAtChosen().top1();
            } else if (p.resolution() == r.trainResolution()) {
                after = r.afterAtTrainRes().top1();
            }
            t.row(p.resolution() + (p.resolution() == r.chosenResolution() ? " (chosen)" : "")
                            + (p.resolution() == r.trainResolution() ? " (train)" : ""), p.round(), p.top1(),
                    after, p.top5(), String.format(Locale.ROOT, "%.3f", p.batch1Millis()),
                    String.format(Locale.ROOT, "%.3f", p.perImageInBatchMillis()),
                    p.withinBudget() == null ? "no budget" : p.withinBudget() ? "yes" : "no");
        }
        return t;
    }

    static Table latencyTable(FixReport r) {
        Table t = new Table("Latency (ms per image on this machine)", "test res", "ms/image batch 1",
                "ms/image in a batch", "batch size");
        for (InferenceLatency l : r.latency()) {
            t.row(l.resolution(), String.format(Locale.ROOT, "%.3f", l.batch1Millis()),
                    String.format(Locale.ROOT, "%.3f", l.perImageInBatchMillis()), l.batchSize());
        }
        return t;
    }

    private static Map<String, Object> setup(FixReport r) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("model", r.model() + " (" + r.architecture() + ", trained at " + r.trainResolution() + " px, total stride "
                + r.stride() + ")");
        s.put("prediction", String.format(Locale.ROOT, "%.1f px -> %d px (%s)", r.prediction().equalisingTestRes(),
                r.prediction().alignedTestRes(), r.prediction().basis()));
        s.put("chosen by", r.chosenBy() + ", " + r.chosenResolution() + " px");
        s.put("fix", r.method() + (r.labelFree() ? " (label-free requested)" : ""));
        s.put("fix images", r.fineTuningImages().source() + ": " + r.fineTuningImages().images()
                + (r.fineTuningImages().labelled() ? " labelled" : " unlabelled"));
        s.put("held-out images", r.heldOutImages() == null ? "none (no labelled images)"
                : r.heldOutImages().source() + ": " + r.heldOutImages().images()
                        + (r.heldOutDecodes() == null ? "" : ", decoded " + r.heldOutDecodes() + " times in all"));
        s.put("probe limit", r.probeLimit());
        s.put("latency budget", r.budgetMillis() == null ? "none" : r.budgetMillis() + " ms per image at batch 1");
        s.put("outputs", r.out() + "/model.params, model.json, fix.json, fix.md, fix.html"
                + (r.export() == null ? "" : "; " + r.export()));
        s.put("seconds", String.format(Locale.ROOT, "%.1f", r.seconds()));
        return s;
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.2f", v);
    }
}
