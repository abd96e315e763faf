package io.fixres.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScalarSampleTest {

    @Test
    void keepsEverythingBelowCapacity() {
        ScalarSample s = new ScalarSample(10, new SplittableRandom(1));
        s.addAll(new float[] {3, 1, 2});
        s.addAll(new float[] {9, 4, 5, 6}, 1, 3);
        assertThat(s.seen()).isEqualTo(5);
        assertThat(s.values()).containsExactly(3, 1, 2, 4, 5);
    }

    @Test
    void holdsCapacityDistinctStreamValues() {
        ScalarSample s = new ScalarSample(100, new SplittableRandom(2));
        for (int i = 0; i < 10_000; i++) {
            s.add(i);
        }
        assertThat(s.seen()).isEqualTo(10_000);
        float[] v = s.values();
        assertThat(v).hasSize(100).doesNotHaveDuplicates();
        for (float x : v) {
            assertThat(x).isBetween(0f, 9999f);
        }
    }

    @Test
    void sameSeedSameSample() {
        float[] stream = new float[5000];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = i;
        }
        ScalarSample a = new ScalarSample(50, new SplittableRandom(9));
        ScalarSample b = new ScalarSample(50, new SplittableRandom(9));
        a.addAll(stream);
        b.addAll(stream);
        assertThat(a.values()).containsExactly(b.values());
    }

    @Test
    void everyPositionIsEquallyLikelyToBeKept() {
        // 1000 values, keep 100: each value kept with probability 0.1. Over 2000 seeded runs,
        // each decile of the stream holds on average 10 of the 100 kept values.
        int[] perDecile = new int[10];
        SplittableRandom seeds = new SplittableRandom(5);
        int runs = 2000;
        for (int r = 0; r < runs; r++) {
            ScalarSample s = new ScalarSample(100, seeds.split());
            for (int i = 0; i < 1000; i++) {
                s.add(i);
            }
            for (float x : s.values()) {
                perDecile[(int) x / 100]++;
            }
        }
        for (int count : perDecile) {
            // expected 20000, sd ~ sqrt(20000 * 0.9) ~ 134 (less, sampling without replacement)
            assertThat((double) count).isCloseTo(20_000, within(600.0));
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new ScalarSample(0, new SplittableRandom())).hasMessageContaining("capacity");
        ScalarSample s = new ScalarSample(3, new SplittableRandom());
        assertThatThrownBy(() -> s.addAll(new float[2], 1, 3)).hasMessageContaining("[1, 3)");
    }
}
