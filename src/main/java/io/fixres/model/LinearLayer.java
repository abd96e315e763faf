package io.fixres.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

import java.util.LinkedHashMap;

/**
 * PyTorch's {@code nn.Linear(in, out)}: weight (out, in) and bias (out), both drawn from
 * U(-1/sqrt(in), 1/sqrt(in)) (PyTorch's default: kaiming_uniform_ with a = sqrt(5) gives that
 * bound for the weight, and the bias uses the same bound).
 */
public final class LinearLayer extends AbstractBlock implements TorchModule {

    private final int inFeatures;
    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;

    public LinearLayer(int inFeatures, int outFeatures) {
        if (inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException(
                    "linear features must be positive, got in " + inFeatures + ", out " + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        UniformInitializer init = new UniformInitializer((float) (1 / Math.sqrt(inFeatures)));
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(outFeatures, inFeatures)).optInitializer(init).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(outFeatures)).optInitializer(init).build());
    }

    public int inFeatures() { return inFeatures; }

    public int outFeatures() { return outFeatures; }

    public Parameter weight() { return weight; }

    public Parameter bias() { return bias; }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return Linear.linear(x,
                parameterStore.getValue(weight, x.getDevice(), training),
                parameterStore.getValue(bias, x.getDevice(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outFeatures)};
    }

    @Override
    public LinkedHashMap<String, Parameter> namedTensors() {
        LinkedHashMap<String, Parameter> tensors = new LinkedHashMap<>();
        tensors.put("weight", weight);
        tensors.put("bias", bias);
        return tensors;
    }
}
