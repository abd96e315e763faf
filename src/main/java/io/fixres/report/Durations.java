package io.fixres.report;

import java.util.Locale;

/** Human-readable durations for progress lines and run summaries. */
public final class Durations {
    private Durations() {}

    /** {@code mm:ss} below an hour, {@code h:mm:ss} from an hour on; partial seconds are dropped. */
    public static String format(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("duration must not be negative, got " + millis + " ms");
        }
        long seconds = millis / 1000;
        long hours = seconds / 3600;
        long minutes = seconds / 60 % 60;
        long secs = seconds % 60;
        return hours > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d", hours, minutes, secs)
                : String.format(Locale.ROOT, "%02d:%02d", minutes, secs);
    }
}
