package io.fixres.stats;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a measured difference says about a finding that predicts its sign: reproduced when the whole
 * 95% interval lies on the predicted side of 0, not reproduced when it lies wholly on the other
 * side, inconclusive when it contains 0.
 */
public enum Verdict {
    REPRODUCED("reproduced"),
    NOT_REPRODUCED("not reproduced"),
    INCONCLUSIVE("inconclusive");

    private final String text;

    Verdict(String text) {
        this.text = text;
    }

    /** Verdict for a finding predicting a positive difference, from the interval {@code [low, high]}. */
    public static Verdict ofPositiveDifference(double low, double high) {
        if (Double.isNaN(low) || Double.isNaN(high)) {
            return INCONCLUSIVE;
        }
        if (low > 0) {
            return REPRODUCED;
        }
        if (high < 0) {
            return NOT_REPRODUCED;
        }
        return INCONCLUSIVE;
    }

    @JsonValue
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
