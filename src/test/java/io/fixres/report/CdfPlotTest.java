package io.fixres.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdfPlotTest {
    @TempDir
    Path dir;

    @Test
    void smallSamplesGiveTheExactStaircase() {
        double[][] cdf = CdfPlot.empiricalCdf(new double[] {3, 1, 2}, 6);
        assertThat(cdf[0]).containsExactly(1, 1, 2, 2, 3, 3);
        assertThat(cdf[1]).containsExactly(0, 1 / 3.0, 1 / 3.0, 2 / 3.0, 2 / 3.0, 1);
    }

    @Test
    void largeSamplesAreThinnedToEvenlySpacedOrderStatistics() {
        double[][] cdf = CdfPlot.empiricalCdf(new double[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}, 6);
        // ranks ceil(j * 10 / 5) = 2, 4, 6, 8, 10 after the (min, 0) start
        assertThat(cdf[0]).containsExactly(0, 1, 3, 5, 7, 9);
        assertThat(cdf[1]).containsExactly(0, 0.2, 0.4, 0.6, 0.8, 1.0);
    }

    @Test
    void pairsEachEmpiricalCurveWithADashedFitInItsColour() throws IOException {
        Random random = new Random(7);
        CdfPlot cdf = new CdfPlot().title("Fréchet fit of activations");
        for (int px : new int[] {24, 32}) {
            double[] samples = new double[5000];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = -Math.log(random.nextDouble()) * px / 24.0; // exponential, scale grows with px
            }
            double scale = px / 24.0;
            cdf.add(px, samples, x -> 1 - Math.exp(-x / scale));
        }
        LinePlot plot = cdf.toLinePlot();
        assertThat(plot.series()).extracting(LinePlot.Series::name)
                .containsExactly("empirical 24px", "Fréchet fit 24px", "empirical 32px", "Fréchet fit 32px");
        assertThat(plot.series()).extracting(LinePlot.Series::dashed).containsExactly(false, true, false, true);
        assertThat(plot.series()).extracting(LinePlot.Series::colourKey).containsExactly("24px", "24px", "32px", "32px");
        assertThat(plot.series().get(0).x()).hasSize(CdfPlot.DEFAULT_MAX_POINTS);

        Path file = dir.resolve("fig6.png");
        cdf.writePng(file, 500, 350);
        PngAssert.assertPng(file, 500, 350);
    }
}
