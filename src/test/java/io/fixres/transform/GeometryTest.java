package io.fixres.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Resize, CenterCrop, RandomCrop, HorizontallyJitteredCenterCrop and the flip: exact geometry. */
class GeometryTest {
    private static final SplittableRandom RNG = new SplittableRandom(0);

    private static int[] hw(FloatImage img) { return new int[] {img.height(), img.width()}; }

    @Test
    void resizeShorterSideTruncatesTheLongerSide() {
        assertThat(Resize.shorterSide(27).outputSize(28, 28)).containsExactly(27, 27);
        assertThat(Resize.shorterSide(27).outputSize(30, 40)).containsExactly(27, 36);
        assertThat(Resize.shorterSide(27).outputSize(40, 30)).containsExactly(36, 27);
        assertThat(Resize.shorterSide(24).outputSize(100, 333)).containsExactly(24, 79); // int(79.92)
        assertThat(Resize.shorterSide(256).outputSize(375, 500)).containsExactly(256, 341); // int(341.33)
    }

    @Test
    void resizeHeightKeepsTheAuthorsConvention() {
        assertThat(Resize.height(27).outputSize(40, 30)).containsExactly(27, 20); // int(20.25)
        assertThat(Resize.height(27).outputSize(30, 40)).containsExactly(27, 36);
        assertThat(Resize.exact(5, 7).outputSize(30, 40)).containsExactly(5, 7);
    }

    @Test
    void resizeRunsTheResamplerAndSkipsWhenAlreadyRightSized() {
        FloatImage img = Images.random(1, 30, 40, 2);
        assertThat(Resize.shorterSide(27).apply(img, RNG)).isEqualTo(BilinearResampler.resize(img, 27, 36));
        assertThat(Resize.shorterSide(30).apply(img, RNG)).isSameAs(img);
        assertThat(Resize.shorterSide(27).toString())
                .isEqualTo("Resize(size=27, interpolation=bilinear, antialias=True)");
    }

    @Test
    void centerCropRoundsHalfToEven() {
        // (27 - 24) / 2 = 1.5 -> 2; (26 - 24) / 2 = 1; (29 - 24) / 2 = 2.5 -> 2 (Python round).
        assertThat(new CenterCrop(24).apply(Images.indexed(1, 27, 27), RNG).get(0, 0, 0)).isEqualTo(22f);
        assertThat(new CenterCrop(24).apply(Images.indexed(1, 26, 26), RNG).get(0, 0, 0)).isEqualTo(11f);
        assertThat(new CenterCrop(4).apply(Images.indexed(1, 9, 9), RNG).get(0, 0, 0)).isEqualTo(22f);
        FloatImage rect = new CenterCrop(3, 2).apply(Images.indexed(2, 6, 8), RNG); // top round(1.5)=2, left 3
        assertThat(hw(rect)).containsExactly(3, 2);
        assertThat(rect.get(1, 0, 0)).isEqualTo(123f);
    }

    @Test
    void centerCropZeroPadsWhenLargerThanTheImage() {
        // 2x3 -> 5x6: pad left 1, top 1, right 2, bottom 2; the padded image is the crop.
        FloatImage out = new CenterCrop(5, 6).apply(Images.of(1, 2, 3, 1, 2, 3, 4, 5, 6), RNG);
        assertThat(out.data()).containsExactly(
                0, 0, 0, 0, 0, 0,
                0, 1, 2, 3, 0, 0,
                0, 4, 5, 6, 0, 0,
                0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0);
        // 2x3 -> 4x2: height padded (1 top, 1 bottom); width cropped at round(0.5) = 0.
        FloatImage mixed = new CenterCrop(4, 2).apply(Images.of(1, 2, 3, 1, 2, 3, 4, 5, 6), RNG);
        assertThat(mixed.data()).containsExactly(0, 0, 1, 2, 4, 5, 0, 0);
    }

    @Test
    void randomCropPadsEverySideThenCropsUniformly() {
        // 2x2 padded by 1 -> 4x4; positions 0..2 on each axis; top 0, left 2.
        ScriptedRandom rng = new ScriptedRandom().withInts(0, 2);
        FloatImage out = new RandomCrop(2, 1).apply(Images.of(1, 2, 2, 1, 2, 3, 4), rng);
        assertThat(rng.intBounds).containsExactly(3, 3);
        assertThat(out.data()).containsExactly(0, 0, 2, 0);
    }

    @Test
    void randomCropPadsIfNeededLikeTorchvision() {
        // size 4 on 2x2 without padding: torchvision pads the deficit (2) on both sides -> 6x6.
        ScriptedRandom rng = new ScriptedRandom().withInts(2, 1);
        FloatImage out = new RandomCrop(4, 0).apply(Images.of(1, 2, 2, 1, 2, 3, 4), rng);
        assertThat(rng.intBounds).containsExactly(3, 3);
        assertThat(out.data()).containsExactly(
                0, 1, 2, 0,
                0, 3, 4, 0,
                0, 0, 0, 0,
                0, 0, 0, 0);
        assertThat(new RandomCrop(24, 3).toString()).isEqualTo("RandomCrop(size=(24, 24), padding=3)");
    }

    @Test
    void jitteredCenterCropShiftsOnlyHorizontallyWithinTheMargin() {
        FloatImage img = Images.indexed(1, 26, 30); // margins: top round(1) = 1, left round(3) = 3
        HorizontallyJitteredCenterCrop crop = new HorizontallyJitteredCenterCrop(24);
        ScriptedRandom rng = new ScriptedRandom().withInts(0, 6, 3);
        assertThat(crop.apply(img, rng).get(0, 0, 0)).isEqualTo(10f);
        assertThat(crop.apply(img, rng).get(0, 0, 0)).isEqualTo(16f);
        assertThat(crop.apply(img, rng).get(0, 0, 0)).isEqualTo(13f);
        assertThat(rng.intBounds).containsExactly(7, 7, 7);

        Set<Float> lefts = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            lefts.add(crop.apply(img, new SplittableRandom(seed)).get(0, 0, 0) - 10f);
        }
        assertThat(lefts).containsExactlyInAnyOrder(0f, 1f, 2f, 3f, 4f, 5f, 6f);
    }

    @Test
    void jitteredCenterCropIsClampedInside() {
        // 27 wide: centred left round(1.5) = 2, shift +2 -> 4 > 27 - 24: clamped to 3.
        ScriptedRandom rng = new ScriptedRandom().withInts(4);
        assertThat(new HorizontallyJitteredCenterCrop(24).apply(Images.indexed(1, 24, 27), rng).get(0, 0, 0))
                .isEqualTo(3f);
    }

    @Test
    void flipMirrorsEveryRowOfEveryChannel() {
        FloatImage img = Images.indexed(2, 2, 3);
        FloatImage flipped = new RandomHorizontalFlip(1.0).apply(img, RNG);
        assertThat(flipped.data()).containsExactly(2, 1, 0, 12, 11, 10, 102, 101, 100, 112, 111, 110);
        assertThat(new RandomHorizontalFlip(0.0).apply(img, RNG)).isSameAs(img);
        assertThat(new RandomHorizontalFlip(0.5).apply(img, new ScriptedRandom().withDoubles(0.49))).isEqualTo(flipped);
        assertThat(new RandomHorizontalFlip(0.5).apply(img, new ScriptedRandom().withDoubles(0.5))).isSameAs(img);
        assertThat(img.get(0, 0, 0)).isEqualTo(0f); // input untouched
    }

    @Test
    void badSizesAreRejected() {
        assertThatThrownBy(() -> new CenterCrop(0)).hasMessageContaining("crop height must be positive");
        assertThatThrownBy(() -> new RandomCrop(24, -1)).hasMessageContaining("padding");
        assertThatThrownBy(() -> new RandomHorizontalFlip(1.5)).hasMessageContaining("[0, 1]");
    }
}
