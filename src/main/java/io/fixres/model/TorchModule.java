package io.fixres.model;

import ai.djl.nn.Parameter;

import java.util.LinkedHashMap;
import java.util.function.BiConsumer;

/**
 * A block that knows its PyTorch module structure, so that a whole network can list its
 * tensors under torchvision's state-dict keys (own tensors first, then sub-modules, both in
 * registration order: the order of {@code torch.nn.Module.state_dict()}).
 */
interface TorchModule {

    /** This module's own tensors (parameters then buffers) keyed by their local attribute name. */
    default LinkedHashMap<String, Parameter> namedTensors() {
        return new LinkedHashMap<>();
    }

    /** Sub-modules keyed by their attribute path relative to this module (e.g. "downsample.0"). */
    default LinkedHashMap<String, TorchModule> namedModules() {
        return new LinkedHashMap<>();
    }

    /** Adds every tensor of this module and its sub-modules under {@code prefix + key}. */
    default void collectStateDict(String prefix, LinkedHashMap<String, Parameter> into) {
        namedTensors().forEach((name, p) -> into.put(prefix + name, p));
        namedModules().forEach((name, m) -> m.collectStateDict(prefix + name + ".", into));
    }

    /** Visits this module and its sub-modules depth-first, with their full module names. */
    default void visit(String name, BiConsumer<String, TorchModule> visitor) {
        visitor.accept(name, this);
        namedModules().forEach((child, m) -> m.visit(name.isEmpty() ? child : name + "." + child, visitor));
    }
}
