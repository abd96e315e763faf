package io.fixres.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The ResNet variants this project builds: torchvision's resnet18/34/50/101 (7x7/2 stem,
 * 3x3/2 max-pool, four stages) and a small ResNet for 28-64 px images (3x3/1 stem, no
 * max-pool, three stages of BasicBlocks).
 */
public enum Architecture {
    RESNET18("resnet18", BlockKind.BASIC, new int[] {2, 2, 2, 2}, ImageNet.WIDTHS, ImageNet.STRIDES,
            ImageNet.STEM, ImageNet.MAX_POOL),
    RESNET34("resnet34", BlockKind.BASIC, new int[] {3, 4, 6, 3}, ImageNet.WIDTHS, ImageNet.STRIDES,
            ImageNet.STEM, ImageNet.MAX_POOL),
    RESNET50("resnet50", BlockKind.BOTTLENECK, new int[] {3, 4, 6, 3}, ImageNet.WIDTHS, ImageNet.STRIDES,
            ImageNet.STEM, ImageNet.MAX_POOL),
    RESNET101("resnet101", BlockKind.BOTTLENECK, new int[] {3, 4, 23, 3}, ImageNet.WIDTHS, ImageNet.STRIDES,
            ImageNet.STEM, ImageNet.MAX_POOL),
    /** ~0.7M parameters for 10 classes; total stride 4 so that 24-32 px inputs keep a 6-8 px final map. */
    RESNET_SMALL("resnet-small", BlockKind.BASIC, new int[] {2, 2, 2}, new int[] {32, 64, 128},
            new int[] {1, 2, 2}, new SpatialGeometry(3, 1, 1), null);

    /** Residual block type of an architecture. */
    public enum BlockKind {
        BASIC(BasicBlock.EXPANSION), BOTTLENECK(Bottleneck.EXPANSION);

        private final int expansion;

        BlockKind(int expansion) { this.expansion = expansion; }

        public int expansion() { return expansion; }
    }

    private static final class ImageNet {
        static final int[] WIDTHS = {64, 128, 256, 512};
        static final int[] STRIDES = {1, 2, 2, 2};
        static final SpatialGeometry STEM = new SpatialGeometry(7, 2, 3);
        static final SpatialGeometry MAX_POOL = new SpatialGeometry(3, 2, 1);
    }

    private final String id;
    private final BlockKind blockKind;
    private final int[] blocksPerStage;
    private final int[] baseWidths;
    private final int[] stageStrides;
    private final SpatialGeometry stem;
    private final SpatialGeometry maxPool;

    Architecture(String id, BlockKind blockKind, int[] blocksPerStage, int[] baseWidths, int[] stageStrides,
                 SpatialGeometry stem, SpatialGeometry maxPool) {
        this.id = id;
        this.blockKind = blockKind;
        this.blocksPerStage = blocksPerStage;
        this.baseWidths = baseWidths;
        this.stageStrides = stageStrides;
        this.stem = stem;
        this.maxPool = maxPool;
    }

    /** The name used in model cards and on the command line ("resnet50", "resnet-small"). */
    public String id() { return id; }

    public BlockKind blockKind() { return blockKind; }

    public int stageCount() { return blocksPerStage.length; }

    public int blocksInStage(int stage) { return blocksPerStage[stage]; }

    /** Width ("planes") of a stage before the width multiplier and the block expansion. */
    public int baseWidth(int stage) { return baseWidths[stage]; }

    public int stageStride(int stage) { return stageStrides[stage]; }

    /** Geometry of the stem convolution {@code conv1}. */
    public SpatialGeometry stem() { return stem; }

    /** The stem max-pool, absent for the small ResNet. */
    public Optional<SpatialGeometry> maxPool() { return Optional.ofNullable(maxPool); }

    /** Looks an architecture up by its {@link #id()}. */
    public static Architecture fromId(String id) {
        return Arrays.stream(values()).filter(a -> a.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown architecture '" + id + "', expected one of " + ids()));
    }

    /** All ids, in declaration order. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(Architecture::id).collect(Collectors.toList());
    }

    @Override
    public String toString() { return id; }
}
