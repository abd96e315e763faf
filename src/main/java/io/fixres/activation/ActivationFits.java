package io.fixres.activation;

import io.fixres.eval.Accuracy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.report.CdfPlot;
import io.fixres.report.Table;
import io.fixres.stats.FrechetFit;
import io.fixres.stats.FrechetFitResult;
import io.fixres.data.ImageDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Fréchet fits of the pooled activations at several resolutions and their presentation: the
 * parameter table and supplement Figure 6 (empirical and fitted CDF, one colour per resolution).
 */
public final class ActivationFits {

    /**
     * The fit at one resolution, with the non-zero sample it was fitted to (for the figure) and
     * the accuracy of the pass that measured it.
     */
    public record ResolutionFit(
            @JsonProperty("test_res") int resolution,
            @JsonProperty("fit") FrechetFitResult fit,
            @JsonIgnore float[] nonZeroSample,
            @JsonProperty("accuracy") Accuracy accuracy) {}

    /**
     * Supplement Figure 6 for one network: its Fréchet fits at each resolution, what they were
     * measured on, and how; the JSON of {@code fixres fit}.
     */
    public record Figure6(
            @JsonProperty("images") long images,
            @JsonProperty("train_res") int trainResolution,
            @JsonProperty("xi_fitted") boolean xiFitted,
            @JsonProperty("truncated_at_zero") boolean truncatedAtZero,
            @JsonProperty("fits") List<ResolutionFit> fits) {

        /** The parameter table. */
        public Table table(String title) {
            return ActivationFits.table(title, fits);
        }

        /** The figure: empirical and fitted CDFs, one colour per resolution. */
        public CdfPlot figure(String title) {
            return figure6(title, fits);
        }
    }

    private ActivationFits() {}

    /**
     * One measurement pass over {@code images} per resolution, each fitted with {@code fitter}
     * (the network's installed hook, an adaptation, stays in place).
     */
    public static Figure6 measure(ActivationMeasurement measurement, int trainResolution, ImageDataset images,
                                  List<Integer> resolutions, FrechetFit fitter, IntConsumer imagesDone) {
        List<ResolutionFit> fits = new ArrayList<>();
        for (int k : resolutions) {
            fits.add(fit(measurement.measure(images, k, imagesDone), fitter));
        }
        return new Figure6(images.size(), trainResolution, fitter.fitsXi(), fitter.truncatedAtZero(), List.copyOf(fits));
    }

    /** Fits {@code fitter} to the non-zero pooled activations of a measurement (zeros excluded, A.1). */
    public static ResolutionFit fit(ActivationMeasurement.Measured measured, FrechetFit fitter) {
        return new ResolutionFit(measured.resolution(), measured.pooled().fit(fitter),
                measured.pooled().nonZeroSample(), measured.accuracy());
    }

    /** mu, sigma, xi, zero fraction and the two fit errors, one row per resolution. */
    public static Table table(String title, List<ResolutionFit> fits) {
        Table t = new Table(title, "test res", "mu", "sigma", "xi", "zeros", "max |CDF err|", "RMSE",
                "values", "fitted", "top-1").numberFormat("%.4f");
        for (ResolutionFit f : fits) {
            FrechetFitResult r = f.fit();
            t.row(String.valueOf(f.resolution()), r.mu(), r.sigma(), r.xi(), r.zeroFraction(), r.maxAbsCdfError(),
                    r.rmse(), r.count(), r.nonZeroCount(), String.format(java.util.Locale.ROOT, "%.2f", f.accuracy().top1()));
        }
        return t;
    }

    /** Supplement Figure 6: the empirical CDF of every fitted sample (solid) and its fit (dashed). */
    public static CdfPlot figure6(String title, List<ResolutionFit> fits) {
        CdfPlot plot = new CdfPlot().title(title).xLabel("pooled activation (non-zero)");
        for (ResolutionFit f : fits) {
            double[] samples = new double[f.nonZeroSample().length];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = f.nonZeroSample()[i];
            }
            plot.add(f.resolution(), samples, f.fit()::cdf);
        }
        return plot;
    }
}
