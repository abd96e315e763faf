package io.fixres.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(5 * SECOND); // arbitrary origin: only differences count
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void rateKeepsAboutThreeSignificantDigits() {
        assertThat(ProgressBar.rate(420, 3_400_000_000L, "it")).isEqualTo("124 it/s"); // 123.53
        assertThat(ProgressBar.rate(25, 2 * SECOND, "img")).isEqualTo("12.5 img/s");
        assertThat(ProgressBar.rate(5, 2 * SECOND, "it")).isEqualTo("2.50 it/s");
        assertThat(ProgressBar.rate(0, 0, "it")).isEqualTo("-- it/s");
    }

    @Test
    void etaExtrapolatesTheAverageRateAndRoundsUp() {
        assertThat(ProgressBar.eta(420, 1000, 4_200_000_000L)).isEqualTo("00:06"); // 5.8 s left
        assertThat(ProgressBar.eta(1, 7201, SECOND)).isEqualTo("2:00:00");
        assertThat(ProgressBar.eta(0, 10, SECOND)).isEqualTo("--:--");
        assertThat(ProgressBar.eta(10, 10, SECOND)).isEqualTo("00:00");
    }

    @Test
    void barAndHeadShowPercentAndCounts() {
        assertThat(ProgressBar.bar(420, 1000, 24)).isEqualTo("##########--------------");
        assertThat(ProgressBar.bar(0, 0, 4)).isEqualTo("####");
        assertThat(ProgressBar.format("train", 420, 1000, true))
                .isEqualTo("train  42% [##########--------------] 420/1000");
        assertThat(ProgressBar.format("train", 420, 1000, false)).isEqualTo("train  42%  420/1000");
    }

    @Test
    void linesModePrintsEveryTenPercentAndAFinalLine() {
        try (ProgressBar bar = new ProgressBar("epoch 1", 20, "it", stream, clock::get, ProgressBar.Mode.LINES)) {
            bar.message("loss 0.500");
            for (int i = 0; i < 20; i++) {
                clock.addAndGet(SECOND / 2);
                bar.step(1);
            }
        }
        String[] lines = output().split("\n");
        assertThat(lines).hasSize(10);
        assertThat(lines[0]).isEqualTo("epoch 1  10%  2/20  2.00 it/s  ETA 00:09  loss 0.500");
        assertThat(lines[8]).isEqualTo("epoch 1  90%  18/20  2.00 it/s  ETA 00:01  loss 0.500");
        assertThat(lines[9]).isEqualTo("epoch 1 100%  20/20  2.00 it/s  in 00:10  loss 0.500");
        assertThat(output()).doesNotContain("\r");
    }

    @Test
    void linesModeAlsoPrintsWhenTenSecondsPassWithoutANewDecile() {
        AtomicLong clock = new AtomicLong();
        try (ProgressBar bar = new ProgressBar("pass", 1000, "img", stream, clock::get, ProgressBar.Mode.LINES)) {
            for (int i = 0; i < 30; i++) { // 3% of the pass, 6 s per step: no decile, a line every other step
                clock.addAndGet(6 * SECOND);
                bar.step(1);
            }
        }
        String[] lines = output().split("\n");
        assertThat(lines).hasSize(16); // 15 timed lines (every 12 s) and the final one
        assertThat(lines[0]).startsWith("pass   0%  2/1000");
        assertThat(lines[14]).startsWith("pass   3%  30/1000");
        assertThat(lines[15]).startsWith("pass   3%  30/1000").contains("in 03:00");
    }

    @Test
    void linesModePrintsAtLeastEveryTenSecondsWhenTenPercentTakesLonger() {
        // one step every 3 s of 1,000: a 10% step would take 5 minutes of silence
        ProgressBar bar = new ProgressBar("slow", 1000, "it", stream, clock::get, ProgressBar.Mode.LINES);
        for (int i = 0; i < 20; i++) {
            clock.addAndGet(3 * SECOND);
            bar.step(1);
        }
        String[] lines = output().split("\n");
        assertThat(lines).hasSize(5); // after 12, 24, 36, 48 and 60 s
        assertThat(lines[0]).startsWith("slow   0%  4/1000  0.33 it/s  ETA ");
        assertThat(lines[4]).startsWith("slow   2%  20/1000  0.33 it/s  ETA ");
    }

    @Test
    void redrawModeRedrawsAtMostFourTimesASecondAndEndsWithTheElapsedTime() {
        ProgressBar bar = new ProgressBar("eval", 4, "img", stream, clock::get, ProgressBar.Mode.REDRAW);
        clock.addAndGet(SECOND / 10);
        bar.step(1); // 0.1 s after the first draw: skipped
        clock.addAndGet(SECOND / 5);
        bar.set(2); // 0.3 s: drawn
        clock.addAndGet(SECOND / 10);
        bar.step(1); // 0.1 s after the last draw: skipped
        clock.addAndGet(2 * SECOND);
        bar.step(1); // 2.4 s: drawn
        bar.close();
        bar.close(); // idempotent

        String start = "eval   0% [------------------------] 0/4  -- img/s  ETA --:--";
        String half = "eval  50% [############------------] 2/4  6.67 img/s  ETA 00:01";
        String full = "eval 100% [########################] 4/4  1.67 img/s  ETA 00:00";
        String end = "eval 100% [########################] 4/4  1.67 img/s  in 00:02";
        // The final line is one character shorter than the one it overwrites: padded with a space.
        assertThat(output()).isEqualTo("\r" + start + "\r" + half + "\r" + full + "\r" + end + " \n");
    }

    @Test
    void stepIsThreadSafe() throws InterruptedException {
        ProgressBar bar = new ProgressBar("t", 4000, "it", stream, clock::get, ProgressBar.Mode.OFF);
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 1000; i++) {
                    bar.step();
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        bar.close();
        assertThat(bar.done()).isEqualTo(4000);
        assertThat(output()).isEmpty();
    }
}
