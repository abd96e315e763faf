package io.fixres.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FiniteTensorsTest {

    @Test
    void namesTheFirstTensorWithNaNOrInfinityAndLeavesNoTemporaryArrays() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            tensors.put("a", manager.create(new float[] {1, -2, 3}));
            tensors.put("empty", manager.create(new float[0]));
            tensors.put("b", manager.create(new float[] {0, Float.NEGATIVE_INFINITY}));
            tensors.put("c", manager.create(new float[] {Float.NaN}));
            assertThat(FiniteTensors.firstNonFinite(tensors)).contains("b");
            tensors.remove("b");
            assertThat(FiniteTensors.firstNonFinite(tensors)).contains("c");
            tensors.remove("c");
            int arrays = manager.getManagedArrays().size();
            assertThat(FiniteTensors.firstNonFinite(tensors)).isEmpty();
            assertThat(manager.getManagedArrays()).hasSize(arrays);
        }
    }

    @Test
    void namesANetworksTensorByItsTorchvisionKey() {
        try (Model model = Model.newInstance("finite")) {
            ResNet net = ResNet.builder().architecture("resnet-small").numClasses(3).inputChannels(1)
                    .widthMultiplier(0.25).build();
            net.initialize(model.getNDManager(), 16);
            assertThat(FiniteTensors.firstNonFinite(net)).isEmpty();
            net.stateDict().get("layer2.1.bn2.running_var").getArray().set(new ai.djl.ndarray.index.NDIndex("1"), Float.NaN);
            assertThat(FiniteTensors.firstNonFinite(net)).contains("layer2.1.bn2.running_var");
        }
    }
}
