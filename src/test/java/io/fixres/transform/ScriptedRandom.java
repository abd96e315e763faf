package io.fixres.transform;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.random.RandomGenerator;

/** A generator that replays given doubles and ints, and records the bounds asked of nextInt. */
final class ScriptedRandom implements RandomGenerator {
    private final Deque<Double> doubles = new ArrayDeque<>();
    private final Deque<Integer> ints = new ArrayDeque<>();
    final List<Integer> intBounds = new ArrayList<>();

    ScriptedRandom withDoubles(double... values) {
        for (double v : values) {
            doubles.add(v);
        }
        return this;
    }

    ScriptedRandom withInts(int... values) {
        for (int v : values) {
            ints.add(v);
        }
        return this;
    }

    @Override
    public double nextDouble() {
        if (doubles.isEmpty()) {
            throw new IllegalStateException("script ran out of doubles");
        }
        return doubles.poll();
    }

    @Override
    public int nextInt(int bound) {
        intBounds.add(bound);
        if (ints.isEmpty()) {
            throw new IllegalStateException("script ran out of ints");
        }
        int v = ints.poll();
        if (v < 0 || v >= bound) {
            throw new IllegalStateException("scripted int " + v + " outside [0, " + bound + ")");
        }
        return v;
    }

    @Override
    public long nextLong() { throw new UnsupportedOperationException("not scripted"); }
}
