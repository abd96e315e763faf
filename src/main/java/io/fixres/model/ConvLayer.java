package io.fixres.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.LinkedHashMap;

/**
 * torchvision's {@code nn.Conv2d(in, out, k, stride, padding, bias=False)}: a square 2-D
 * convolution without bias, weight (out, in, k, k) initialised with Kaiming normal, fan_out,
 * gain sqrt(2) (torchvision's ResNet init).
 */
public final class ConvLayer extends AbstractBlock implements TorchModule {

    private final int inChannels;
    private final int outChannels;
    private final SpatialGeometry geometry;
    private final Parameter weight;

    public ConvLayer(int inChannels, int outChannels, int kernel, int stride, int padding) {
        if (inChannels < 1 || outChannels < 1) {
            throw new IllegalArgumentException(
                    "conv channels must be positive, got in " + inChannels + ", out " + outChannels);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.geometry = new SpatialGeometry(kernel, stride, padding);
        this.weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(outChannels, inChannels, kernel, kernel))
                .optInitializer(KaimingNormalInitializer.reluFanOut())
                .build());
    }

    public int inChannels() { return inChannels; }

    public int outChannels() { return outChannels; }

    public SpatialGeometry geometry() { return geometry; }

    /** Multiply-accumulates for a square input of side n: C_in x C_out x k^2 per output position. */
    public long multiplyAdds(int n) {
        long out = geometry.outputSize(n);
        return (long) inChannels * outChannels * geometry.kernel() * geometry.kernel() * out * out;
    }

    public Parameter weight() { return weight; }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
        Shape stride = new Shape(geometry.stride(), geometry.stride());
        Shape padding = new Shape(geometry.padding(), geometry.padding());
        return Conv2d.conv2d(x, w, null, stride, padding);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), outChannels,
                geometry.outputSize((int) in.get(2)), geometry.outputSize((int) in.get(3)))};
    }

    @Override
    public LinkedHashMap<String, Parameter> namedTensors() {
        LinkedHashMap<String, Parameter> tensors = new LinkedHashMap<>();
        tensors.put("weight", weight);
        return tensors;
    }
}
