package io.fixres.model;

import java.util.List;

/**
 * torchvision's {@code BasicBlock} (ResNet-18/34 and the small ResNet): two 3x3 convolutions,
 * the first one carrying the stride; expansion 1.
 */
public final class BasicBlock extends ResidualBlock {

    public static final int EXPANSION = 1;

    /**
     * @param inChannels input channels
     * @param planes output channels of both convolutions
     * @param stride stride of the first 3x3 convolution (and of the downsample projection)
     */
    public BasicBlock(int inChannels, int planes, int stride, boolean zeroInitResidual) {
        super(List.of(
                new ConvLayer(inChannels, planes, 3, stride, 1),
                new ConvLayer(planes, planes * EXPANSION, 3, 1, 1)), zeroInitResidual);
    }
}
