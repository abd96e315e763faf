package io.fixres.reproduce;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.stats.Verdict;
import java.util.Locale;

/**
 * One line of the report saying whether a finding of the paper reproduces on this data, e.g.
 * "best test resolution > train resolution: reproduced, +1.02 [+0.60, +1.44] ...". A finding that
 * compares accuracies on the same images carries its {@link SeedDifference} (paired interval,
 * per-seed values) and takes its verdict from it; any other states its criterion.
 *
 * @param criterion what decides the verdict, in words
 * @param difference the measured difference, or {@code null} for a finding that is not a difference of accuracies
 */
public record Finding(
        @JsonProperty("claim") String claim,
        @JsonProperty("verdict") Verdict verdict,
        @JsonProperty("criterion") String criterion,
        @JsonProperty("evidence") String evidence,
        @JsonProperty("difference") @JsonInclude(JsonInclude.Include.NON_NULL) SeedDifference difference) {

    /** A finding on a difference of accuracies: the verdict is the difference's, the evidence ends with it. */
    public static Finding of(String claim, String criterion, SeedDifference difference, String format, Object... args) {
        return new Finding(claim, difference.verdict(), criterion,
                String.format(Locale.ROOT, format, args) + ": " + difference, difference);
    }

    /** A finding decided by a stated criterion on a number that is not a difference of accuracies. */
    public static Finding byCriterion(String claim, String criterion, Verdict verdict, String format, Object... args) {
        return new Finding(claim, verdict, criterion, String.format(Locale.ROOT, format, args), null);
    }

    @JsonIgnore
    public boolean reproduced() {
        return verdict == Verdict.REPRODUCED;
    }

    @Override
    public String toString() {
        return claim + ": " + verdict + ", " + evidence;
    }
}
