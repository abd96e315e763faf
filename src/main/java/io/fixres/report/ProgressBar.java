package io.fixres.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of long work (training epochs, evaluation sweeps) on stderr:
 * {@code train  42% [##########--------------] 420/1000  123 it/s  ETA 00:05  loss 0.412}.
 *
 * <p>On a terminal the line is redrawn in place at most four times a second. When stderr is not
 * interactive (no console, or {@code CI=true}) a plain line is printed at every 10% instead, and
 * at least every 10 seconds while work advances, so logs stay readable and a long pass never looks hung. {@link #close()} prints the final line with the elapsed time; use
 * try-with-resources. All methods are thread-safe.
 */
public final class ProgressBar implements AutoCloseable {
    /** How progress reaches the stream. */
    public enum Mode {
        /** Carriage-return redraws of one line, for a person watching a terminal. */
        REDRAW,
        /** One line per 10% (and at least one every 10 s) and a final line, for logs and CI. */
        LINES,
        /** Nothing, e.g. for {@code --quiet}. */
        OFF;

        /** REDRAW on a console, LINES when output is redirected or {@code CI=true}. */
        public static Mode detect() {
            boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
            return System.console() != null && !ci ? REDRAW : LINES;
        }
    }

    static final long REDRAW_INTERVAL_NANOS = 250_000_000L;
    static final int BAR_WIDTH = 24;
    /** In {@link Mode#LINES}, the longest wait between two lines. */
    static final long LINE_INTERVAL_NANOS = 10_000_000_000L;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final LongSupplier nanoClock;
    private final Mode mode;
    private final long startNanos;
    private final String unit;
    private String message = "";
    private long done;
    private long lastDrawNanos;
    private long lastDecile;
    private int lastLineLength;
    private boolean closed;

    public ProgressBar(String label, long total) {
        this(label, total, "it");
    }

    /** {@code unit} names what is counted, shown in the rate: "img" gives "img/s". */
    public ProgressBar(String label, long total, String unit) {
        this(label, total, unit, System.err, System::nanoTime, Mode.detect());
    }

    public ProgressBar(String label, long total, String unit, PrintStream out, LongSupplier nanoClock, Mode mode) {
        if (total < 0) {
            throw new IllegalArgumentException("progress total must be >= 0, got " + total + " for '" + label + "'");
        }
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.out = out;
        this.nanoClock = nanoClock;
        this.mode = mode;
        this.startNanos = nanoClock.getAsLong();
        this.lastDrawNanos = startNanos;
        if (mode == Mode.REDRAW) {
            redraw(line(true));
        }
    }

    public void step() {
        step(1);
    }

    public synchronized void step(long n) {
        update(done + n);
    }

    public synchronized void set(long newDone) {
        update(newDone);
    }

    /** A short status shown after the ETA from the next redraw on, e.g. the running loss. */
    public synchronized void message(String text) {
        this.message = text == null ? "" : text;
    }

    public synchronized long done() {
        return done;
    }

    private void update(long newDone) {
        if (closed) {
            return;
        }
        done = newDone;
        long now = nanoClock.getAsLong();
        if (mode == Mode.REDRAW) {
            if (now - lastDrawNanos >= REDRAW_INTERVAL_NANOS) {
                lastDrawNanos = now;
                redraw(line(true));
            }
        } else if (mode == Mode.LINES) {
            long decile = total == 0 ? 10 : Math.min(10, done * 10 / total);
            // a line per 10%, and at least every LINE_INTERVAL_NANOS so a slow pass never looks stuck in a log
            boolean due = now - lastDrawNanos >= LINE_INTERVAL_NANOS && done < total;
            if ((decile > lastDecile && decile < 10) || due) { // 100% is close()'s line
                lastDecile = Math.max(lastDecile, Math.min(decile, 9));
                lastDrawNanos = now;
                out.println(line(false));
                out.flush();
            }
        }
    }

    /** Prints the final line (with the elapsed time in place of the ETA). Later calls do nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (mode == Mode.REDRAW) {
            redraw(finalLine(true));
            out.println();
        } else if (mode == Mode.LINES) {
            out.println(finalLine(false));
        }
        out.flush();
    }

    private void redraw(String line) {
        String padding = " ".repeat(Math.max(0, lastLineLength - line.length()));
        out.print("\r" + line + padding);
        out.flush();
        lastLineLength = line.length();
    }

    private String line(boolean withBar) {
        long elapsed = nanoClock.getAsLong() - startNanos;
        return format(label, done, total, withBar) + "  " + rate(done, elapsed, unit)
                + "  ETA " + eta(done, total, elapsed) + suffix();
    }

    private String finalLine(boolean withBar) {
        long elapsed = nanoClock.getAsLong() - startNanos;
        return format(label, done, total, withBar) + "  " + rate(done, elapsed, unit)
                + "  in " + Durations.format(elapsed / 1_000_000) + suffix();
    }

    private String suffix() {
        return message.isEmpty() ? "" : "  " + message;
    }

    /** {@code label  42% [####------] 420/1000}, or without the bar. */
    static String format(String label, long done, long total, boolean withBar) {
        long percent = total == 0 ? 100 : done * 100 / total;
        String head = String.format(Locale.ROOT, "%s %3d%%", label, percent);
        return withBar
                ? head + " [" + bar(done, total, BAR_WIDTH) + "] " + done + "/" + total
                : head + "  " + done + "/" + total;
    }

    static String bar(long done, long total, int width) {
        int filled = total == 0 ? width : (int) Math.min(width, done * width / total);
        return "#".repeat(filled) + "-".repeat(width - filled);
    }

    /** Items per second with about three significant digits, {@code "--"} before any time has passed. */
    static String rate(long done, long elapsedNanos, String unit) {
        if (elapsedNanos <= 0) {
            return "-- " + unit + "/s";
        }
        double perSecond = done * 1e9 / elapsedNanos;
        String pattern = perSecond >= 100 ? "%.0f" : perSecond >= 10 ? "%.1f" : "%.2f";
        return String.format(Locale.ROOT, pattern, perSecond) + " " + unit + "/s";
    }

    /** Time left at the average rate so far, rounded up to the second; {@code "--:--"} while unknown. */
    static String eta(long done, long total, long elapsedNanos) {
        if (done >= total) {
            return Durations.format(0);
        }
        if (done <= 0 || elapsedNanos <= 0) {
            return "--:--";
        }
        double remainingNanos = (double) elapsedNanos * (total - done) / done;
        long millis = (long) Math.ceil(remainingNanos / 1e9) * 1000;
        return Durations.format(millis);
    }
}
