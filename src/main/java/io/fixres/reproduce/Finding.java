package io.fixres.reproduce;

import java.util.Locale;

/**
 * One line of the report saying whether a finding of the paper reproduces on this data, e.g.
 * "best test resolution > train resolution: yes, 28 vs 24".
 */
public record Finding(String claim, boolean reproduced, String evidence) {

    public static Finding of(String claim, boolean reproduced, String format, Object... args) {
        return new Finding(claim, reproduced, String.format(Locale.ROOT, format, args));
    }

    @Override
    public String toString() {
        return claim + ": " + (reproduced ? "yes" : "no") + ", " + evidence;
    }
}
