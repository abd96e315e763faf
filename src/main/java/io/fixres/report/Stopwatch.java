package io.fixres.report;

import java.util.function.LongSupplier;

/** Elapsed wall time since creation, on an injectable nanosecond clock. */
public final class Stopwatch {
    private final LongSupplier nanoClock;
    private final long startNanos;

    public Stopwatch(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    public static Stopwatch start() {
        return new Stopwatch(System::nanoTime);
    }

    public long elapsedNanos() {
        return nanoClock.getAsLong() - startNanos;
    }

    public long elapsedMillis() {
        return elapsedNanos() / 1_000_000;
    }

    /** The elapsed time as {@link Durations#format}. */
    @Override
    public String toString() {
        return Durations.format(elapsedMillis());
    }
}
