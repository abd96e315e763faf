package io.fixres.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A torchvision residual block: a branch of convolutions (conv1/bn1, conv2/bn2, ...) with a
 * ReLU between them, added to the identity (or to the downsample projection, a strided 1x1 conv
 * + BN, when the shape changes), then a final ReLU. {@link #preActivation} exposes the sum before
 * that final ReLU, the point the supplement's section A.2 studies on the last block.
 */
public abstract sealed class ResidualBlock extends AbstractBlock implements TorchModule
        permits BasicBlock, Bottleneck {

    private final List<ConvLayer> convs;
    private final List<BatchNorm2d> norms = new ArrayList<>();
    private final ConvLayer downsampleConv;
    private final BatchNorm2d downsampleNorm;
    private final int inChannels;
    private final int outChannels;

    /**
     * @param branch the branch convolutions in order; the block's output channels are the last one's
     * @param zeroInitResidual initialise the last BN's gamma to 0 (torchvision's zero_init_residual)
     */
    protected ResidualBlock(List<ConvLayer> branch, boolean zeroInitResidual) {
        this.convs = List.copyOf(branch);
        this.inChannels = convs.get(0).inChannels();
        this.outChannels = convs.get(convs.size() - 1).outChannels();
        for (int i = 0; i < convs.size(); i++) {
            addChildBlock("conv" + (i + 1), convs.get(i));
            norms.add(addChildBlock("bn" + (i + 1), new BatchNorm2d(convs.get(i).outChannels())));
        }
        if (zeroInitResidual) {
            lastBatchNorm().zeroInitGamma();
        }
        int stride = stride();
        if (stride != 1 || inChannels != outChannels) {
            downsampleConv = addChildBlock("downsample.0", new ConvLayer(inChannels, outChannels, 1, stride, 0));
            downsampleNorm = addChildBlock("downsample.1", new BatchNorm2d(outChannels));
        } else {
            downsampleConv = null;
            downsampleNorm = null;
        }
    }

    /** The branch's total stride (the product of its convolutions' strides). */
    public final int stride() {
        return convs.stream().mapToInt(c -> c.geometry().stride()).reduce(1, (a, b) -> a * b);
    }

    public final int inChannels() { return inChannels; }

    public final int outChannels() { return outChannels; }

    public final boolean hasDownsample() { return downsampleConv != null; }

    /** True when the branch has a 1x1 convolution of stride 1 (a Bottleneck's conv1 and conv3). */
    public final boolean hasUnstridedPointwiseConvolution() {
        return convs.stream().anyMatch(c -> c.geometry().kernel() == 1 && c.geometry().stride() == 1);
    }

    /** True when a convolution of the block (branch or projection) has a weight that requires a gradient. */
    public final boolean convolutionsTrainable() {
        return convs.stream().anyMatch(c -> c.weight().requiresGradient())
                || downsampleConv != null && downsampleConv.weight().requiresGradient();
    }

    /** The BN that closes the residual branch, just before the add ("bn2" of a BasicBlock, "bn3" of a Bottleneck). */
    public final BatchNorm2d lastBatchNorm() {
        return norms.get(norms.size() - 1);
    }

    /** Local module name of {@link #lastBatchNorm()}. */
    public final String lastBatchNormName() {
        return "bn" + norms.size();
    }

    /** Output side of the block for an input side n (the downsample projection gives the same size). */
    public final int outputSize(int n) {
        for (ConvLayer conv : convs) {
            n = conv.geometry().outputSize(n);
        }
        return n;
    }

    /** Multiply-accumulates of the block's convolutions for an input side n (BN, ReLU and the add excluded). */
    public final long multiplyAdds(int n) {
        long macs = 0;
        int side = n;
        for (ConvLayer conv : convs) {
            macs += conv.multiplyAdds(side);
            side = conv.geometry().outputSize(side);
        }
        return downsampleConv == null ? macs : macs + downsampleConv.multiplyAdds(n);
    }

    /**
     * branch(x) + identity(x), before the block's final ReLU. Every intermediate of the branch is
     * freed once used ({@link Intermediates}); {@code x} stays the caller's.
     */
    public final NDArray preActivation(ParameterStore parameterStore, NDArray x, boolean training) {
        NDArray out = x;
        for (int i = 0; i < convs.size(); i++) {
            NDArray conv = Intermediates.consumed(out,
                    convs.get(i).forward(parameterStore, new NDList(out), training).singletonOrThrow(), x);
            out = Intermediates.consumed(conv, norms.get(i).forward(parameterStore, new NDList(conv), training).singletonOrThrow(), x);
            if (i < convs.size() - 1) {
                out = Intermediates.consumed(out, Activation.relu(out), x);
            }
        }
        NDArray identity = x;
        if (downsampleConv != null) {
            NDArray projected = downsampleConv.forward(parameterStore, new NDList(x), training).singletonOrThrow();
            identity = Intermediates.consumed(projected,
                    downsampleNorm.forward(parameterStore, new NDList(projected), training).singletonOrThrow(), x);
        }
        // in place, as torchvision does (out += identity): one tensor less per block; BN backward keeps its input, not this output
        NDArray sum = out.addi(identity);
        if (identity != x) {
            identity.close();
        }
        return sum;
    }

    @Override
    protected final NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray sum = preActivation(parameterStore, x, training);
        return new NDList(Intermediates.consumed(sum, Activation.relu(sum), x));
    }

    @Override
    public final Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape shape = inputShapes[0];
        for (ConvLayer conv : convs) {
            shape = conv.getOutputShapes(new Shape[] {shape})[0];
        }
        return new Shape[] {shape};
    }

    @Override
    protected final void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        for (int i = 0; i < convs.size(); i++) {
            convs.get(i).initialize(manager, dataType, shape);
            shape = convs.get(i).getOutputShapes(new Shape[] {shape})[0];
            norms.get(i).initialize(manager, dataType, shape);
        }
        if (downsampleConv != null) {
            downsampleConv.initialize(manager, dataType, inputShapes[0]);
            downsampleNorm.initialize(manager, dataType, downsampleConv.getOutputShapes(inputShapes)[0]);
        }
    }

    /** torchvision registration order: conv1, bn1, conv2, bn2, [conv3, bn3], downsample.0, downsample.1. */
    @Override
    public final LinkedHashMap<String, TorchModule> namedModules() {
        LinkedHashMap<String, TorchModule> modules = new LinkedHashMap<>();
        for (int i = 0; i < convs.size(); i++) {
            modules.put("conv" + (i + 1), convs.get(i));
            modules.put("bn" + (i + 1), norms.get(i));
        }
        if (downsampleConv != null) {
            modules.put("downsample.0", downsampleConv);
            modules.put("downsample.1", downsampleNorm);
        }
        return modules;
    }
}
