package io.fixres.transform;

import java.util.ArrayList;
import java.util.List;

/** The standard pipelines of the paper, by name. Input images are in [0, 1]; outputs are normalised. */
public final class Pipelines {
    /** Test crop ratio of the ImageNet convention (224 / 256), used by the paper. */
    public static final double DEFAULT_CROP_RATIO = 0.875;
    /** ColorJitter strength of the paper's from-scratch training DA. */
    public static final double PAPER_JITTER = 0.3;
    /** ColorJitter strength of the authors' "test DA2". */
    static final double TEST_DA2_JITTER = 0.05;

    private Pipelines() {}

    /**
     * Train DA: RandomResizedCrop(K) + RandomHorizontalFlip(0.5) + ColorJitter(jitter x3)
     * (0.3 in the paper; 0 leaves it out) + Normalize.
     */
    public static Compose trainDA(int k, Normalization norm, double jitter) {
        List<Transform> steps = new ArrayList<>();
        steps.add(new RandomResizedCrop(k));
        steps.add(new RandomHorizontalFlip(0.5));
        addJitter(steps, jitter);
        steps.add(new Normalize(norm));
        return new Compose(steps);
    }

    /** Test DA, shorter-side resize: Resize(K_image) + CenterCrop(K) + Normalize. */
    public static Compose testDA(int k, double cropRatio, Normalization norm) {
        return testDA(k, cropRatio, ResizeMode.SHORTER_SIDE, norm);
    }

    /**
     * Test DA (also the v1 fine-tuning transform): resize one side to
     * {@link #imageSize K_image} ({@code mode}: shorter side = torchvision, height = the authors'
     * code), CenterCrop(K), Normalize. No randomness.
     */
    public static Compose testDA(int k, double cropRatio, ResizeMode mode, Normalization norm) {
        return Compose.of(Resize.of(mode, imageSize(k, cropRatio)), new CenterCrop(k), new Normalize(norm));
    }

    /** Test DA2 with the shorter-side resize. */
    public static Compose testDA2(int k, double cropRatio, Normalization norm) {
        return testDA2(k, cropRatio, ResizeMode.SHORTER_SIDE, norm);
    }

    /**
     * The authors' "test DA2" fine-tuning transform: Resize(K_image) + RandomHorizontalFlip(0.5)
     * + ColorJitter(0.05, 0.05, 0.05) + a centre crop jittered horizontally only + Normalize.
     */
    public static Compose testDA2(int k, double cropRatio, ResizeMode mode, Normalization norm) {
        return Compose.of(Resize.of(mode, imageSize(k, cropRatio)), new RandomHorizontalFlip(0.5),
                new ColorJitter(TEST_DA2_JITTER, TEST_DA2_JITTER, TEST_DA2_JITTER),
                new HorizontallyJitteredCenterCrop(k), new Normalize(norm));
    }

    /** {@link #resizeRandomCrop(int, Normalization, double)} without colour jitter. */
    public static Compose resizeRandomCrop(int k, Normalization norm) { return resizeRandomCrop(k, norm, 0); }

    /**
     * Supplement section D (Table 9, Figure 8): RandomResizedCrop replaced by Resize(K) (shorter
     * side) then a fixed-size K x K random crop, so objects keep their size: no 1/sigma
     * magnification as with RandomResizedCrop. On square datasets (Fashion-MNIST) the resize alone
     * leaves nothing to crop, so {@code round(K / 8)} pixels of zero padding per side give the
     * translation jitter. The rest of train DA (flip, optional ColorJitter) is unchanged. The
     * apparent object sizes of train and test (Resize(K_test / cropRatio) + CenterCrop) then match
     * at K_test ~= cropRatio * K, rather than ~1.24 K for RandomResizedCrop (paper section 3).
     */
    public static Compose resizeRandomCrop(int k, Normalization norm, double jitter) {
        List<Transform> steps = new ArrayList<>();
        steps.add(Resize.shorterSide(k));
        steps.add(new RandomCrop(k, translationPadding(k)));
        steps.add(new RandomHorizontalFlip(0.5));
        addJitter(steps, jitter);
        steps.add(new Normalize(norm));
        return new Compose(steps);
    }

    /** {@code round(K / 8)} with Python's half-to-even rounding (24 -> 3, 224 -> 28, 4 -> 0). */
    static int translationPadding(int k) { return (int) Math.rint(k / 8.0); }

    /**
     * K_image = floor(K / cropRatio): the size the image is resized to before the K x K centre
     * crop (0.875: 224 -> 256, 24 -> 27). A 1e-9 slack keeps exact quotients such as 7 / 0.28 = 25 from
     * falling one pixel short through floating-point error.
     */
    public static int imageSize(int k, double cropRatio) {
        Resize.requirePositive("test resolution", k);
        if (!(cropRatio > 0 && cropRatio <= 1)) {
            throw new IllegalArgumentException("crop ratio must be in (0, 1], got " + cropRatio);
        }
        return (int) Math.floor(k / cropRatio + 1e-9);
    }

    private static void addJitter(List<Transform> steps, double jitter) {
        if (jitter < 0) {
            throw new IllegalArgumentException("colour jitter must be >= 0, got " + jitter);
        }
        if (jitter > 0) {
            steps.add(new ColorJitter(jitter, jitter, jitter));
        }
    }
}
