package io.fixres.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomResizedCropTest {
    private final RandomResizedCrop defaults = new RandomResizedCrop(24);

    @Test
    void firstAcceptedAttemptGivesTheBox() {
        // Attempt 1: scale u=1 -> area 10000, ratio u=1 -> 4/3: w = round(115.5) > 100, rejected.
        // Attempt 2: area 10000 * (0.08 + 0.92 * 0.25) = 3100, ratio 4/3:
        // w = round(sqrt(4133.3)) = 64, h = round(sqrt(2325)) = 48; top in [0, 52], left in [0, 36].
        ScriptedRandom rng = new ScriptedRandom().withDoubles(1.0, 1.0, 0.25, 1.0).withInts(52, 36);
        assertThat(defaults.sampleBox(100, 100, rng)).isEqualTo(new CropBox(52, 36, 48, 64));
        assertThat(rng.intBounds).containsExactly(53, 37);
    }

    @Test
    void ratioMidpointIsSquare() {
        // area 10000 * 0.54 = 5400, log-ratio midpoint 0: w = h = round(73.48) = 73.
        ScriptedRandom rng = new ScriptedRandom().withDoubles(0.5, 0.5).withInts(5, 27);
        assertThat(defaults.sampleBox(100, 100, rng)).isEqualTo(new CropBox(5, 27, 73, 73));
        assertThat(rng.intBounds).containsExactly(28, 28);
    }

    @Test
    void fallbackAfterTenFailedAttemptsIsTheCentralCropClampedToTheRatio() {
        // scale (1, 1) on a 10x100 image: every window of the full area is too tall, so all 10
        // attempts (20 draws, no position draws) fail. in_ratio 10 > 4/3: h = 10, w = round(13.33) = 13.
        RandomResizedCrop fullArea = new RandomResizedCrop(24, 1.0, 1.0, 3.0 / 4, 4.0 / 3);
        ScriptedRandom rng = new ScriptedRandom().withDoubles(new double[20]);
        assertThat(fullArea.sampleBox(10, 100, rng)).isEqualTo(new CropBox(0, 43, 10, 13));
        assertThat(rng.intBounds).isEmpty();
        assertThatThrownBy(rng::nextDouble).hasMessageContaining("ran out"); // exactly 20 used

        assertThat(fullArea.sampleBox(100, 10, new SplittableRandom(3))).isEqualTo(new CropBox(43, 0, 13, 10));
        RandomResizedCrop tooLarge = new RandomResizedCrop(24, 1.5, 2.0, 3.0 / 4, 4.0 / 3);
        assertThat(tooLarge.sampleBox(10, 10, new SplittableRandom(3))).isEqualTo(new CropBox(0, 0, 10, 10));
    }

    @Test
    void boxIsAlwaysInsideTheImage() {
        for (long seed = 0; seed < 10_000; seed++) {
            int h = 5 + (int) (seed % 50), w = 3 + (int) ((seed * 7) % 90);
            CropBox b = defaults.sampleBox(h, w, new SplittableRandom(seed));
            assertThat(b.top() + b.height()).as("seed %d", seed).isLessThanOrEqualTo(h);
            assertThat(b.left() + b.width()).as("seed %d", seed).isLessThanOrEqualTo(w);
        }
    }

    @Test
    void aspectRatioIsLogUniform() {
        // Log-uniform on (3/4, 4/3): median log-ratio 0 and P(ratio < sqrt(3/4)) = 1/4
        // (a uniform ratio would give median 0.041 and 0.20).
        RandomResizedCrop small = new RandomResizedCrop(24, 0.08, 0.2, 3.0 / 4, 4.0 / 3);
        SplittableRandom rng = new SplittableRandom(11);
        int n = 10_000;
        double[] logRatio = new double[n];
        int below = 0;
        for (int i = 0; i < n; i++) {
            CropBox b = small.sampleBox(1000, 1000, rng);
            logRatio[i] = Math.log((double) b.width() / b.height());
            below += logRatio[i] < Math.log(0.75) / 2 ? 1 : 0;
        }
        Arrays.sort(logRatio);
        assertThat(logRatio[n / 2]).isCloseTo(0.0, within(0.01));
        assertThat(below / (double) n).isCloseTo(0.25, within(0.02));
    }

    @Test
    void outputIsSizeBySizeAndDeterministicPerSeed() {
        FloatImage img = Images.random(3, 37, 53, 5);
        FloatImage a = defaults.apply(img, new SplittableRandom(42));
        assertThat(a.channels()).isEqualTo(3);
        assertThat(a.height()).isEqualTo(24);
        assertThat(a.width()).isEqualTo(24);
        assertThat(defaults.apply(img, new SplittableRandom(42))).isEqualTo(a);
        assertThat(defaults.apply(img, new SplittableRandom(43))).isNotEqualTo(a);
    }

    @Test
    void appliesTheSampledBoxThenResizes() {
        FloatImage img = Images.random(1, 40, 30, 9);
        CropBox box = defaults.sampleBox(40, 30, new SplittableRandom(8));
        FloatImage expected = BilinearResampler.resize(img.crop(box), 24, 24);
        assertThat(defaults.apply(img, new SplittableRandom(8))).isEqualTo(expected);
    }

    @Test
    void toStringIsTorchvisionLike() {
        assertThat(defaults.toString()).isEqualTo(
                "RandomResizedCrop(size=24, scale=(0.08, 1.0), ratio=(0.75, 1.3333), interpolation=bilinear, antialias=True)");
    }

    @Test
    void rejectsBadRanges() {
        assertThatThrownBy(() -> new RandomResizedCrop(24, 0.5, 0.1, 0.75, 1.33)).hasMessageContaining("scale");
        assertThatThrownBy(() -> new RandomResizedCrop(24, 0.08, 1, 0, 1.33)).hasMessageContaining("ratio");
    }
}
