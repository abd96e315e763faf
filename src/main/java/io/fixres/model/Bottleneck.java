package io.fixres.model;

import java.util.List;

/**
 * torchvision's {@code Bottleneck} "v1.5" (ResNet-50/101): 1x1 reduce, 3x3 carrying the stride,
 * 1x1 expand by 4. The original v1 (and DJL's ResNetV1) put the stride on the first 1x1, which
 * changes both accuracy and weight compatibility.
 */
public final class Bottleneck extends ResidualBlock {

    public static final int EXPANSION = 4;

    /**
     * @param inChannels input channels
     * @param planes width of the 1x1 and 3x3 convolutions; the block outputs 4 * planes channels
     * @param stride stride of the 3x3 convolution (and of the downsample projection)
     */
    public Bottleneck(int inChannels, int planes, int stride, boolean zeroInitResidual) {
        super(List.of(
                new ConvLayer(inChannels, planes, 1, 1, 0),
                new ConvLayer(planes, planes, 3, stride, 1),
                new ConvLayer(planes, planes * EXPANSION, 1, 1, 0)), zeroInitResidual);
    }
}
