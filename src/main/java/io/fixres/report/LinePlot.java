package io.fixres.report;

import io.fixres.io.AtomicFiles;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A line chart of named (x, y) series written as PNG, e.g. top-1 against test resolution with
 * dashed vertical lines where the last feature map grows by one pixel (supplement Figure 7).
 * Rendering is headless; the same input gives the same image.
 */
public final class LinePlot {
    static {
        // Before any AWT class loads: charts are drawn on servers and CI machines without a display.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** tab10, the matplotlib default palette, so figures look like the paper's. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
    };
    private static final Stroke SOLID = new BasicStroke(1.8f);
    private static final Stroke DASHED = new BasicStroke(
            1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {7f, 4f}, 0f);
    private static final Stroke MARKER_LINE = new BasicStroke(
            1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f);

    /**
     * One curve. Series with the same {@code colourKey} share a colour (an empirical curve and its
     * fit); by default the key is the name. Dashed series never show point markers.
     */
    public record Series(String name, double[] x, double[] y, boolean dashed, String colourKey) {
        public Series {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("every plot series needs a name");
            }
            if (x.length != y.length) {
                throw new IllegalArgumentException(
                        "series '" + name + "': x has " + x.length + " values but y has " + y.length);
            }
            colourKey = colourKey == null ? name : colourKey;
        }

        public static Series of(String name, double[] x, double[] y) {
            return new Series(name, x, y, false, name);
        }

        public Series asDashed() {
            return new Series(name, x, y, true, colourKey);
        }

        public Series withColourKey(String key) {
            return new Series(name, x, y, dashed, key);
        }
    }

    /** A dashed vertical line across the plot at {@code x}, labelled at the top. */
    public record VerticalLine(double x, String label) {}

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series;
    private final List<VerticalLine> verticalLines;
    private final boolean markers;
    private final double[] yRange;

    private LinePlot(Builder b) {
        this.title = b.title;
        this.xLabel = b.xLabel;
        this.yLabel = b.yLabel;
        this.series = List.copyOf(b.series);
        this.verticalLines = List.copyOf(b.verticalLines);
        this.markers = b.markers;
        this.yRange = b.yRange;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Series> series() {
        return series;
    }

    public List<VerticalLine> verticalLines() {
        return verticalLines;
    }

    /** A fresh JFreeChart for this plot, for callers who want to adjust it further. */
    public JFreeChart chart() {
        XYSeriesCollection dataset = new XYSeriesCollection();
        for (Series s : series) {
            // Unsorted and with duplicate x allowed: a step curve (empirical CDF) has vertical jumps.
            XYSeries xy = new XYSeries(s.name(), false, true);
            for (int i = 0; i < s.x().length; i++) {
                xy.add(s.x()[i], s.y()[i]);
            }
            dataset.addSeries(xy);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(
                title, xLabel, yLabel, dataset, PlotOrientation.VERTICAL, series.size() > 1, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
        NumberAxis yAxis = (NumberAxis) plot.getRangeAxis();
        yAxis.setAutoRangeIncludesZero(false);
        if (yRange != null) {
            yAxis.setRange(yRange[0], yRange[1]);
        }

        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, markers);
        Map<String, Paint> colours = new LinkedHashMap<>();
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            renderer.setSeriesPaint(i, colours.computeIfAbsent(
                    s.colourKey(), k -> PALETTE[colours.size() % PALETTE.length]));
            renderer.setSeriesStroke(i, s.dashed() ? DASHED : SOLID);
            renderer.setSeriesShapesVisible(i, markers && !s.dashed());
        }
        plot.setRenderer(renderer);

        for (VerticalLine line : verticalLines) {
            ValueMarker marker = new ValueMarker(line.x(), Color.GRAY, MARKER_LINE);
            if (line.label() != null && !line.label().isEmpty()) {
                marker.setLabel(line.label());
                marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
                marker.setLabelPaint(Color.DARK_GRAY);
                marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
                marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            }
            plot.addDomainMarker(marker);
        }
        return chart;
    }

    public BufferedImage render(int width, int height) {
        checkSize(width, height);
        return chart().createBufferedImage(width, height);
    }

    /** Writes the plot as a {@code width} x {@code height} PNG, atomically. */
    public void writePng(Path file, int width, int height) throws IOException {
        checkSize(width, height);
        JFreeChart chart = chart();
        AtomicFiles.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, width, height));
    }

    private static void checkSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("plot size must be positive, got " + width + "x" + height);
        }
    }

    public static final class Builder {
        private String title = "";
        private String xLabel = "";
        private String yLabel = "";
        private final List<Series> series = new ArrayList<>();
        private final List<VerticalLine> verticalLines = new ArrayList<>();
        private boolean markers;
        private double[] yRange;

        private Builder() {}

        public Builder title(String title) {
            this.title = title;
            return this;
        }

        public Builder xLabel(String label) {
            this.xLabel = label;
            return this;
        }

        public Builder yLabel(String label) {
            this.yLabel = label;
            return this;
        }

        public Builder series(String name, double[] x, double[] y) {
            return series(Series.of(name, x, y));
        }

        public Builder dashedSeries(String name, double[] x, double[] y) {
            return series(Series.of(name, x, y).asDashed());
        }

        public Builder series(Series s) {
            series.add(s);
            return this;
        }

        /** Draw a shape at every point of the solid series. */
        public Builder markers(boolean show) {
            this.markers = show;
            return this;
        }

        public Builder verticalLine(double x, String label) {
            verticalLines.add(new VerticalLine(x, label));
            return this;
        }

        /** Fix the y axis (default: fitted to the data). */
        public Builder yRange(double lower, double upper) {
            if (!(lower < upper)) {
                throw new IllegalArgumentException("y range must have lower < upper, got " + lower + ".." + upper);
            }
            this.yRange = new double[] {lower, upper};
            return this;
        }

        public LinePlot build() {
            if (series.isEmpty()) {
                throw new IllegalArgumentException("plot '" + title + "' has no series");
            }
            Set<String> names = new HashSet<>();
            for (Series s : series) {
                if (!names.add(s.name())) {
                    throw new IllegalArgumentException("plot '" + title + "' has two series named '" + s.name() + "'");
                }
            }
            return new LinePlot(this);
        }
    }
}
