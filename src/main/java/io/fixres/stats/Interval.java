package io.fixres.stats;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A point estimate with its 95% interval, in the estimate's units (percentage points for accuracies). */
public record Interval(
        @JsonProperty("estimate") double estimate,
        @JsonProperty("low") double low,
        @JsonProperty("high") double high) {

    public boolean contains(double value) {
        return low <= value && value <= high;
    }

    /** "84.62 [83.60, 85.62]" with {@code decimals} digits. */
    public String format(int decimals) {
        String f = "%." + decimals + "f";
        return String.format(java.util.Locale.ROOT, f + " [" + f + ", " + f + "]", estimate, low, high);
    }

    /** "+0.38 [-0.12, +0.90]" for differences. */
    public String formatSigned(int decimals) {
        String f = "%+." + decimals + "f";
        return String.format(java.util.Locale.ROOT, f + " [" + f + ", " + f + "]", estimate, low, high);
    }
}
