package io.fixres.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinePlotTest {
    @TempDir
    Path dir;

    /** Shaped like supplement Figure 7: accuracy against test resolution, a drop after each multiple of 32. */
    private static LinePlot figure7Like() {
        double[] res = {224, 232, 240, 248, 256, 264, 272, 280, 288};
        double[] top1 = {77.0, 77.4, 77.6, 77.8, 77.9, 77.1, 77.5, 77.7, 77.8};
        return LinePlot.builder()
                .title("top-1 vs test resolution")
                .xLabel("test resolution (px)").yLabel("top-1 (%)")
                .series("train 224", res, top1)
                .dashedSeries("train 128", res, new double[] {70, 70.5, 71, 71, 71.2, 70.1, 70.3, 70.4, 70.5})
                .markers(true)
                .verticalLine(256.5, "feature map 8 -> 9")
                .yRange(69, 79)
                .build();
    }

    @Test
    void writesPngOfTheRequestedSizeWithContent() throws IOException {
        Path file = dir.resolve("figures/fig7.png");
        figure7Like().writePng(file, 640, 400);
        PngAssert.assertPng(file, 640, 400);
    }

    @Test
    void chartCarriesTheSeriesRangeAndDashedVerticalMarker() {
        JFreeChart chart = figure7Like().chart();
        XYPlot plot = chart.getXYPlot();
        assertThat(plot.getDataset().getSeriesCount()).isEqualTo(2);
        assertThat(plot.getDataset().getSeriesKey(1)).isEqualTo("train 128");
        assertThat(plot.getRangeAxis().getLowerBound()).isEqualTo(69);
        assertThat(plot.getRangeAxis().getUpperBound()).isEqualTo(79);
        Collection<?> markers = plot.getDomainMarkers(Layer.FOREGROUND);
        assertThat(markers.size()).isEqualTo(1);
        ValueMarker marker = (ValueMarker) markers.iterator().next();
        assertThat(marker.getValue()).isEqualTo(256.5);
        assertThat(marker.getLabel()).isEqualTo("feature map 8 -> 9");
        assertThat(((BasicStroke) marker.getStroke()).getDashArray()).isNotNull();
        assertThat(chart.getLegend()).isNotNull();
    }

    @Test
    void seriesSharingAColourKeyShareTheColour() {
        LinePlot plot = LinePlot.builder()
                .series(LinePlot.Series.of("empirical 24px", new double[] {0, 1}, new double[] {0, 1}).withColourKey("24px"))
                .series(LinePlot.Series.of("fit 24px", new double[] {0, 1}, new double[] {0, 1}).withColourKey("24px").asDashed())
                .series("empirical 32px", new double[] {0, 1}, new double[] {1, 0})
                .build();
        var renderer = plot.chart().getXYPlot().getRenderer();
        assertThat(renderer.getSeriesPaint(1)).isEqualTo(renderer.getSeriesPaint(0));
        assertThat(renderer.getSeriesPaint(2)).isNotEqualTo(renderer.getSeriesPaint(0));
    }

    @Test
    void renderIsDeterministic() {
        BufferedImage a = figure7Like().render(200, 120);
        BufferedImage b = figure7Like().render(200, 120);
        assertThat(a.getRGB(0, 0, 200, 120, null, 0, 200)).isEqualTo(b.getRGB(0, 0, 200, 120, null, 0, 200));
        assertThat(a.getRGB(0, 0)).isEqualTo(Color.WHITE.getRGB());
    }

    @Test
    void rejectsMismatchedDuplicateOrMissingSeries() {
        assertThatThrownBy(() -> LinePlot.builder().series("s", new double[2], new double[3]))
                .hasMessage("series 's': x has 2 values but y has 3");
        assertThatThrownBy(() -> LinePlot.builder().title("t")
                .series("s", new double[1], new double[1]).series("s", new double[1], new double[1]).build())
                .hasMessage("plot 't' has two series named 's'");
        assertThatThrownBy(() -> LinePlot.builder().title("t").build()).hasMessage("plot 't' has no series");
        assertThatThrownBy(() -> LinePlot.builder().yRange(1, 1)).hasMessageContaining("lower < upper");
    }
}
