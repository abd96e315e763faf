package io.fixres.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PipelinesTest {
    private static final Normalization FM = Normalization.FASHION_MNIST;

    @Test
    void imageSizeIsFloorOfKOverCropRatio() {
        assertThat(Pipelines.imageSize(24, 0.875)).isEqualTo(27);
        assertThat(Pipelines.imageSize(224, 0.875)).isEqualTo(256);
        assertThat(Pipelines.imageSize(28, 0.875)).isEqualTo(32);
        assertThat(Pipelines.imageSize(32, 0.875)).isEqualTo(36);
        assertThat(Pipelines.imageSize(7, 0.28)).isEqualTo(25); // 7 / 0.28 = 24.999999999999996 in doubles
        assertThat(Pipelines.imageSize(24, 1.0)).isEqualTo(24);
        assertThatThrownBy(() -> Pipelines.imageSize(24, 1.2)).hasMessageContaining("crop ratio");
    }

    @Test
    void normalizeSubtractsMeanAndDividesByStdPerChannel() {
        Normalize n = new Normalize(new float[] {0.5f, 0.25f}, new float[] {0.5f, 0.25f});
        FloatImage out = n.apply(Images.of(2, 1, 2, 0f, 1f, 0.25f, 0.75f), null);
        assertThat(out.data()).containsExactly(-1f, 1f, 0f, 2f);
        assertThat(new Normalize(FM).apply(Images.of(1, 1, 1, 0.639f), null).get(0, 0, 0))
                .isCloseTo(1f, within(1e-6f));
        assertThatThrownBy(() -> new Normalize(Normalization.IMAGENET).apply(Images.random(1, 2, 2, 0), null))
                .hasMessageContaining("3 channel(s) but the image has 1");
        assertThatThrownBy(() -> new Normalization(new float[] {0.5f}, new float[] {0.1f, 0.2f}))
                .hasMessageContaining("1 means and 2 stds");
    }

    @Test
    void testDAResizesThenCentreCrops() {
        FloatImage img = Images.random(1, 28, 28, 3);
        FloatImage expected = new Normalize(FM).apply(
                new CenterCrop(24).apply(BilinearResampler.resize(img, 27, 27), null), null);
        assertThat(Pipelines.testDA(24, 0.875, FM).apply(img, null)).isEqualTo(expected);
    }

    @Test
    void testDAResizeModesDifferOnPortraitImages() {
        // 40x30 portrait, K_image 27: shorter side -> 36x27, crop inside; height -> 27x20, width padded 2+2.
        FloatImage img = Images.random(1, 40, 30, 4);
        float zero = (0f - 0.2860f) / 0.3530f;
        FloatImage byHeight = Pipelines.testDA(24, 0.875, ResizeMode.HEIGHT, FM).apply(img, null);
        assertThat(byHeight.width()).isEqualTo(24);
        assertThat(byHeight.get(0, 10, 0)).isEqualTo(zero);
        assertThat(byHeight.get(0, 10, 1)).isEqualTo(zero);
        assertThat(byHeight.get(0, 10, 2)).isNotEqualTo(zero);
        assertThat(byHeight.get(0, 10, 22)).isEqualTo(zero);
        FloatImage shorter = Pipelines.testDA(24, 0.875, FM).apply(img, null);
        assertThat(shorter.get(0, 10, 0)).isNotEqualTo(zero);
    }

    @Test
    void trainPipelinesAreDeterministicPerSeedAndSized() {
        FloatImage img = Images.random(1, 28, 28, 6);
        for (TrainAugmentation aug : TrainAugmentation.values()) {
            Compose p = aug.pipeline(24, FM, Pipelines.PAPER_JITTER);
            FloatImage a = p.apply(img, new SplittableRandom(9));
            assertThat(a.height()).isEqualTo(24);
            assertThat(a.width()).isEqualTo(24);
            assertThat(p.apply(img, new SplittableRandom(9))).isEqualTo(a);
        }
        FloatImage rgb = Images.random(3, 37, 53, 6);
        FloatImage da2 = Pipelines.testDA2(24, 0.875, Normalization.IMAGENET).apply(rgb, new SplittableRandom(1));
        assertThat(new int[] {da2.channels(), da2.height(), da2.width()}).containsExactly(3, 24, 24);
    }

    @Test
    void pipelinesReadLikeTorchvision() {
        assertThat(Pipelines.trainDA(24, FM, 0.3).toString()).isEqualTo("""
                Compose(
                    RandomResizedCrop(size=24, scale=(0.08, 1.0), ratio=(0.75, 1.3333), interpolation=bilinear, antialias=True)
                    RandomHorizontalFlip(p=0.5)
                    ColorJitter(brightness=0.3, contrast=0.3, saturation=0.3)
                    Normalize(mean=[0.286], std=[0.353])
                )""");
        assertThat(Pipelines.trainDA(24, FM, 0).steps()).hasSize(3); // no ColorJitter
        assertThat(Pipelines.resizeRandomCrop(24, FM).toString()).isEqualTo("""
                Compose(
                    Resize(size=24, interpolation=bilinear, antialias=True)
                    RandomCrop(size=(24, 24), padding=3)
                    RandomHorizontalFlip(p=0.5)
                    Normalize(mean=[0.286], std=[0.353])
                )""");
        assertThat(Pipelines.testDA(224, 0.875, ResizeMode.HEIGHT, Normalization.IMAGENET).toString())
                .isEqualTo("""
                Compose(
                    Resize(size=256, side=height, interpolation=bilinear, antialias=True)
                    CenterCrop(size=(224, 224))
                    Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])
                )""");
        assertThat(Pipelines.testDA2(24, 0.875, FM).steps()).extracting(Object::toString).containsExactly(
                "Resize(size=27, interpolation=bilinear, antialias=True)", "RandomHorizontalFlip(p=0.5)",
                "ColorJitter(brightness=0.05, contrast=0.05, saturation=0.05)",
                "HorizontallyJitteredCenterCrop(size=24)", "Normalize(mean=[0.286], std=[0.353])");
    }

    @Test
    void translationPaddingIsRoundOfKOverEight() {
        assertThat(Pipelines.translationPadding(24)).isEqualTo(3);
        assertThat(Pipelines.translationPadding(224)).isEqualTo(28);
        assertThat(Pipelines.translationPadding(20)).isEqualTo(2); // 2.5 -> 2, Python round
        assertThat(Pipelines.translationPadding(28)).isEqualTo(4); // 3.5 -> 4
    }

    @Test
    void trainAugmentationIdsAndTheImportedMarker() {
        assertThat(TrainAugmentation.fromId("rrc")).isEqualTo(TrainAugmentation.RRC);
        assertThat(TrainAugmentation.fromId("resize-crop")).isEqualTo(TrainAugmentation.RESIZE_CROP);
        assertThat(TrainAugmentation.fromId("imported")).isNull();
        assertThatThrownBy(() -> TrainAugmentation.fromId("crop")).hasMessage(
                "unknown training augmentation 'crop': expected rrc or resize-crop");
        assertThat(ResizeMode.HEIGHT.id()).isEqualTo("height");
        assertThat(ResizeMode.SHORTER_SIDE).hasToString("shorter-side");
    }
}
