package io.fixres.study;

import io.fixres.report.LinePlot;
import io.fixres.report.Table;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Presents resolution sweeps: the long-format table (CSV), the drop report and the Figure 7/8
 * style plot, one curve per model, with a dashed line wherever the final feature map grows.
 */
public final class SweepReport {
    private SweepReport() {}

    /** One row per (model, resolution): label, test_res, feature_map, top1, top5, images, change_point. */
    public static Table table(List<SweepResult> sweeps) {
        Table t = new Table("Top-1 by test resolution", "model", "test_res", "feature_map", "top1", "top5", "images",
                "change_point").numberFormat("%.2f");
        for (SweepResult s : sweeps) {
            Set<Integer> changes = changeResolutions(s);
            for (SweepPoint p : s.points()) {
                t.row(s.label(), p.testResolution(), p.featureMap(), p.top1(), p.top5(), p.images(),
                        changes.contains(p.testResolution()) ? "yes" : "no");
            }
        }
        return t;
    }

    /** Human-readable summary: best, best aligned, change points, drops and the step statistics. */
    public static String summary(SweepResult s) {
        BorderEffects e = s.borderEffects();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s (%s, total stride %d, crop ratio %s)%n",
                s.label(), s.architecture(), e.totalStride(), s.cropRatio()));
        out.append(String.format(Locale.ROOT, "  best: %d px, top-1 %.2f%%", e.best().testResolution(), e.best().top1()));
        if (e.bestAligned() != null) {
            out.append(String.format(Locale.ROOT, "; best stride-aligned (multiple of %d): %d px, top-1 %.2f%%",
                    e.totalStride(), e.bestAligned().testResolution(), e.bestAligned().top1()));
        } else {
            out.append("; no multiple of the stride " + e.totalStride() + " was measured");
        }
        out.append(String.format(Locale.ROOT, "%n"));
        out.append("  final map grows at: ").append(e.changePoints().isEmpty() ? "none in range"
                : e.changePoints().stream()
                        .map(c -> String.format(Locale.ROOT, "%d (%d->%d)", c.resolution(), c.mapBefore(), c.mapAfter()))
                        .collect(Collectors.joining(", ")))
                .append(String.format(Locale.ROOT, "%n"));
        out.append("  drops just after a change point: ").append(e.drops().isEmpty() ? "none"
                : e.drops().stream()
                        .map(d -> String.format(Locale.ROOT, "%d px -%.2f", d.resolution(), d.size()))
                        .collect(Collectors.joining(", ")))
                .append(String.format(Locale.ROOT, "%n"));
        out.append("  1-px steps across a change point: ").append(steps(e.stepsAtChangePoints()))
                .append("; other 1-px steps: ").append(steps(e.stepsElsewhere()))
                .append(String.format(Locale.ROOT, "%n"));
        return out.toString();
    }

    private static String steps(BorderEffects.StepSummary s) {
        if (s.steps() == 0) {
            return "none";
        }
        return String.format(Locale.ROOT, "%d, %d lower (%.0f%%), mean change %+.2f points",
                s.steps(), s.decreases(), 100 * s.decreaseRate(), s.meanChange());
    }

    /**
     * Top-1 against test resolution, one series per sweep (labels must differ), and a dashed line
     * half a pixel before every change point labelled with the new map side.
     */
    public static LinePlot plot(List<SweepResult> sweeps, String title) {
        if (sweeps.isEmpty()) {
            throw new IllegalArgumentException("no sweeps to plot");
        }
        LinePlot.Builder plot = LinePlot.builder()
                .title(title)
                .xLabel("test resolution (px)")
                .yLabel("top-1 accuracy (%)")
                .markers(true);
        Map<Integer, Integer> lines = new TreeMap<>();
        for (SweepResult s : sweeps) {
            double[] x = s.points().stream().mapToDouble(SweepPoint::testResolution).toArray();
            double[] y = s.points().stream().mapToDouble(SweepPoint::top1).toArray();
            plot.series(s.label(), x, y);
            s.borderEffects().changePoints().forEach(c -> lines.putIfAbsent(c.resolution(), c.mapAfter()));
        }
        lines.forEach((r, map) -> plot.verticalLine(r - 0.5, map + "x" + map));
        return plot.build();
    }

    /** Gives every sweep a distinct label: a repeated label gets the first free suffix " (2)", " (3)", ... */
    public static List<SweepResult> distinctLabels(List<SweepResult> sweeps) {
        Set<String> taken = new HashSet<>();
        sweeps.forEach(s -> taken.add(s.label()));
        Set<String> used = new HashSet<>();
        List<SweepResult> out = new ArrayList<>();
        for (SweepResult s : sweeps) {
            if (used.add(s.label())) {
                out.add(s);
                continue;
            }
            int n = 2;
            while (taken.contains(s.label() + " (" + n + ")")) {
                n++;
            }
            String label = s.label() + " (" + n + ")";
            taken.add(label);
            used.add(label);
            out.add(s.withLabel(label));
        }
        return out;
    }

    private static Set<Integer> changeResolutions(SweepResult s) {
        Set<Integer> out = new HashSet<>();
        s.borderEffects().changePoints().forEach(c -> out.add(c.resolution()));
        return out;
    }
}
