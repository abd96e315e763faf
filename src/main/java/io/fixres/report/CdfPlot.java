package io.fixres.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * Empirical CDFs of activations with their fitted CDFs, one colour per resolution: supplement
 * Figure 6 ("Fitting of the CDF of activations with a Fréchet distribution"). The empirical curve
 * is solid, the fit dashed in the same colour; legend entries read "empirical 24px" and
 * "Fréchet fit 24px". Callers pass the samples the fit used (the supplement excludes the zeros).
 */
public final class CdfPlot {
    /** Points per curve: enough to be smooth at any sane figure width, few enough for millions of samples. */
    static final int DEFAULT_MAX_POINTS = 2000;
    private static final int FIT_POINTS = 200;

    private final LinePlot.Builder plot = LinePlot.builder().xLabel("activation").yLabel("CDF").yRange(0, 1.02);
    private String fitName = "Fréchet fit";
    private int maxPoints = DEFAULT_MAX_POINTS;

    public CdfPlot title(String title) {
        plot.title(title);
        return this;
    }

    public CdfPlot xLabel(String label) {
        plot.xLabel(label);
        return this;
    }

    /** Legend prefix of the fitted curves (default "Fréchet fit"). */
    public CdfPlot fitName(String name) {
        this.fitName = name;
        return this;
    }

    /** Upper bound on plotted points per empirical curve (applies to curves added afterwards). */
    public CdfPlot maxPoints(int points) {
        if (points < 2) {
            throw new IllegalArgumentException("need at least 2 points for a CDF curve, got " + points);
        }
        this.maxPoints = points;
        return this;
    }

    public CdfPlot add(int resolutionPx, double[] samples, DoubleUnaryOperator fittedCdf) {
        return add(resolutionPx + "px", samples, fittedCdf);
    }

    /** Adds the empirical CDF of {@code samples} and {@code fittedCdf} over the samples' range. */
    public CdfPlot add(String label, double[] samples, DoubleUnaryOperator fittedCdf) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("CDF plot curve '" + label + "' has no samples");
        }
        double[][] empirical = empiricalCdf(samples, maxPoints);
        plot.series(new LinePlot.Series("empirical " + label, empirical[0], empirical[1], false, label));
        double min = empirical[0][0];
        double max = empirical[0][empirical[0].length - 1];
        int n = max > min ? FIT_POINTS : 1;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = n == 1 ? min : min + (max - min) * i / (n - 1);
            y[i] = fittedCdf.applyAsDouble(x[i]);
        }
        plot.series(new LinePlot.Series(fitName + " " + label, x, y, true, label));
        return this;
    }

    public LinePlot toLinePlot() {
        return plot.build();
    }

    public void writePng(Path file, int width, int height) throws IOException {
        toLinePlot().writePng(file, width, height);
    }

    /**
     * The empirical CDF of {@code samples} as plot points {x[], y[]}. When the exact staircase fits
     * in {@code maxPoints} (two points per sample) it is returned exactly: for sorted values v_i the
     * curve steps from (v_i, i/n) up to (v_i, (i+1)/n). Otherwise it is the polyline through
     * (v_0, 0) and {@code maxPoints - 1} evenly spaced order statistics (v_{k-1}, k/n), ending at k = n.
     * NaN samples are rejected.
     */
    static double[][] empiricalCdf(double[] samples, int maxPoints) {
        if (maxPoints < 2) {
            throw new IllegalArgumentException("need at least 2 points for a CDF curve, got " + maxPoints);
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        if (Double.isNaN(sorted[sorted.length - 1])) {
            throw new IllegalArgumentException("CDF samples contain NaN");
        }
        int n = sorted.length;
        List<double[]> points = new ArrayList<>();
        if (2L * n <= maxPoints) {
            for (int i = 0; i < n; i++) {
                points.add(new double[] {sorted[i], (double) i / n});
                points.add(new double[] {sorted[i], (double) (i + 1) / n});
            }
        } else {
            int steps = maxPoints - 1;
            points.add(new double[] {sorted[0], 0});
            for (int j = 1; j <= steps; j++) {
                long rank = (j * (long) n + steps - 1) / steps; // ceil(j * n / steps), ends at n
                points.add(new double[] {sorted[(int) rank - 1], (double) rank / n});
            }
        }
        double[][] xy = new double[2][points.size()];
        for (int i = 0; i < points.size(); i++) {
            xy[0][i] = points.get(i)[0];
            xy[1][i] = points.get(i)[1];
        }
        return xy;
    }
}
