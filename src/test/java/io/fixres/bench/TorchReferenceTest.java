package io.fixres.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fixres.model.ResNet;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TorchReferenceTest {

    @Test
    void specDescribesTheSameLayersAsTheJavaNetwork() {
        ResNet small = ResNet.builder().architecture("resnet-small").numClasses(10).inputChannels(1).widthMultiplier(0.5).build();
        Map<String, Object> spec = TorchReference.spec(small);
        assertThat(spec).containsEntry("block", "basic").containsEntry("channels", 1).containsEntry("classes", 10)
                .containsEntry("stem", List.of(3, 1, 1)).containsEntry("stem_width", 16)
                .containsEntry("widths", List.of(16, 32, 64)).containsEntry("blocks", List.of(2, 2, 2))
                .containsEntry("strides", List.of(1, 2, 2));
        assertThat(spec.get("max_pool")).isNull();

        Map<String, Object> r50 = TorchReference.spec(ResNet.builder().architecture("resnet50").build());
        assertThat(r50).containsEntry("block", "bottleneck").containsEntry("stem", List.of(7, 2, 3))
                .containsEntry("max_pool", List.of(3, 2, 1)).containsEntry("stem_width", 64)
                .containsEntry("widths", List.of(64, 128, 256, 512)).containsEntry("blocks", List.of(3, 4, 6, 3));
    }

    @Test
    void medianOfRounds() {
        assertThat(SideBySide.median(Arrays.asList(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(SideBySide.median(Arrays.asList(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    }
}
