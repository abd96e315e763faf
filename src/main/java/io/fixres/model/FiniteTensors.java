package io.fixres.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds tensors holding NaN or infinity. A comparison with NaN is false, so a network with one
 * NaN weight produces NaN logits that no accuracy count sees as wrong: weights are checked where
 * they enter (loading) and where they are made (training), and the message names the tensor.
 */
public final class FiniteTensors {
    private FiniteTensors() {}

    /** True when every element of {@code array} is finite (an empty array is). */
    public static boolean isFinite(NDArray array) {
        if (array.size() == 0) {
            return true;
        }
        // max |x| is NaN if any element is NaN and infinite if any is infinite; one reduction.
        try (NDManager scope = array.getManager().newSubManager()) {
            scope.tempAttachAll(array);
            return Float.isFinite(array.abs().max().toType(ai.djl.ndarray.types.DataType.FLOAT32, false).getFloat());
        }
    }

    /** The key of the first tensor (in map order) with a non-finite element. */
    public static Optional<String> firstNonFinite(Map<String, NDArray> tensors) {
        for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
            if (!isFinite(entry.getValue())) {
                return Optional.of(entry.getKey());
            }
        }
        return Optional.empty();
    }

    /**
     * The name of the first initialised parameter of {@code block} with a non-finite element:
     * torchvision's state-dict key for a {@link ResNet}, DJL's parameter path otherwise.
     */
    public static Optional<String> firstNonFinite(Block block) {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        Map<String, Parameter> parameters = block instanceof ResNet net ? net.stateDict() : asMap(block);
        parameters.forEach((name, p) -> {
            if (p.isInitialized()) {
                arrays.put(name, p.getArray());
            }
        });
        return firstNonFinite(arrays);
    }

    private static Map<String, Parameter> asMap(Block block) {
        Map<String, Parameter> map = new LinkedHashMap<>();
        block.getParameters().forEach(pair -> map.put(pair.getKey(), pair.getValue()));
        return map;
    }
}
