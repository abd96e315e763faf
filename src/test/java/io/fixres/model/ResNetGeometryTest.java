package io.fixres.model;

import io.fixres.core.BatchNormMode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** Structure and arithmetic of the ResNet family; none of this needs the engine. */
class ResNetGeometryTest {

    private static ResNet net(String architecture, int classes, int channels) {
        return ResNet.builder().architecture(architecture).numClasses(classes).inputChannels(channels).build();
    }

    @Test
    void multiplyAddsMatchTorchvisionHookCounts() {
        // conv + linear MACs counted by forward hooks on torchvision's own models (torch 1.13)
        assertThat(ResNet.builder().architecture("resnet50").build().multiplyAdds(224)).isEqualTo(4_089_184_256L);
        assertThat(ResNet.builder().architecture("resnet18").build().multiplyAdds(224)).isEqualTo(1_814_073_344L);
        assertThat(ResNet.builder().architecture("resnet50").numClasses(10).build().multiplyAdds(97)).isEqualTo(994_491_584L);
        // resnet-small at 28 px by hand: stem 225,792 + layer1 28,901,376 + layer2 and layer3 25,690,112 each + fc 1,280
        ResNet small = ResNet.builder().architecture("resnet-small").numClasses(10).inputChannels(1).build();
        assertThat(small.multiplyAdds(28)).isEqualTo(80_508_672L);
        assertThat(small.forwardFlops(28)).isEqualTo(2.0 * 80_508_672L);
    }

    @Test
    void parameterCountsEqualTorchvision() {
        // torchvision.models.resnetXX(num_classes=1000): sum(p.numel() for p in m.parameters())
        assertThat(net("resnet18", 1000, 3).parameterCount()).isEqualTo(11_689_512L);
        assertThat(net("resnet34", 1000, 3).parameterCount()).isEqualTo(21_797_672L);
        assertThat(net("resnet50", 1000, 3).parameterCount()).isEqualTo(25_557_032L);
        assertThat(net("resnet101", 1000, 3).parameterCount()).isEqualTo(44_549_160L);
    }

    @Test
    void smallResNetHasAboutSevenHundredThousandParameters() {
        // 1 channel, 10 classes; convs k*k*in*out, BNs 2*C, fc 128*10 + 10:
        // stem 9*1*32 + 64                                   =     352
        // layer1 2 x (2 * 9*32*32 + 2*64)                    =  37,120
        // layer2.0 9*32*64 + 9*64*64 + 2*128 + 32*64 + 128   =  57,728
        // layer2.1 2 * 9*64*64 + 2*128                       =  73,984
        // layer3.0 9*64*128 + 9*128*128 + 2*256 + 64*128+256 = 230,144
        // layer3.1 2 * 9*128*128 + 2*256                     = 295,424
        // fc                                                 =   1,290
        assertThat(net("resnet-small", 10, 1).parameterCount()).isEqualTo(696_042L);
        // 3 input channels add 9 * 2 * 32 stem weights
        assertThat(net("resnet-small", 10, 3).parameterCount()).isEqualTo(696_042L + 576L);
    }

    @Test
    void widthMultiplierScalesEveryStage() {
        ResNet half = ResNet.builder().architecture("resnet-small").numClasses(10).inputChannels(1)
                .widthMultiplier(0.5).build();
        assertThat(half.featureDim()).isEqualTo(64);
        assertThat(half.stateDict().get("conv1.weight").getShape()).isEqualTo(new Shape(16, 1, 3, 3));
        assertThat(half.stateDict().get("layer2.0.conv1.weight").getShape()).isEqualTo(new Shape(32, 16, 3, 3));
        assertThat(ResNet.builder().architecture("resnet50").widthMultiplier(2).build().featureDim()).isEqualTo(4096);
    }

    @Test
    void resnet18StateDictHasTorchvisionKeysInOrder() {
        LinkedHashMap<String, Parameter> state = net("resnet18", 1000, 3).stateDict();
        List<String> keys = new ArrayList<>(state.keySet());
        // torchvision's resnet18 state_dict has 122 entries; 20 of them are num_batches_tracked
        // (bn1 + 2 per block * 8 blocks + 3 downsample BNs = 20 BNs), which are left out:
        // conv1 + bn1 (1 + 4) + 8 blocks * (2 convs + 2 BNs * 4) + 3 downsamples * (1 + 4) + fc (2) = 102
        assertThat(keys).hasSize(102);
        assertThat(keys.subList(0, 7)).containsExactly(
                "conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                "layer1.0.conv1.weight", "layer1.0.bn1.weight");
        int start = keys.indexOf("layer2.0.conv1.weight");
        assertThat(keys.subList(start, start + 15)).containsExactly(
                "layer2.0.conv1.weight",
                "layer2.0.bn1.weight", "layer2.0.bn1.bias", "layer2.0.bn1.running_mean", "layer2.0.bn1.running_var",
                "layer2.0.conv2.weight",
                "layer2.0.bn2.weight", "layer2.0.bn2.bias", "layer2.0.bn2.running_mean", "layer2.0.bn2.running_var",
                "layer2.0.downsample.0.weight",
                "layer2.0.downsample.1.weight", "layer2.0.downsample.1.bias",
                "layer2.0.downsample.1.running_mean", "layer2.0.downsample.1.running_var");
        assertThat(keys.subList(100, 102)).containsExactly("fc.weight", "fc.bias");
        assertThat(keys).doesNotContain("layer1.0.downsample.0.weight"); // 64 -> 64, stride 1: identity
        assertThat(keys).noneMatch(k -> k.contains("num_batches_tracked"));
        assertThat(state.get("conv1.weight").getShape()).isEqualTo(new Shape(64, 3, 7, 7));
        assertThat(state.get("layer4.1.conv2.weight").getShape()).isEqualTo(new Shape(512, 512, 3, 3));
        assertThat(state.get("fc.weight").getShape()).isEqualTo(new Shape(1000, 512));
        assertThat(state.get("bn1.running_var").getType()).isEqualTo(Parameter.Type.RUNNING_VAR);
        assertThat(state.get("bn1.running_var").requiresGradient()).isFalse();
        assertThat(state.get("bn1.running_mean").requiresGradient()).isFalse();
        assertThat(state.get("bn1.weight").requiresGradient()).isTrue();
    }

    @Test
    void resnet50IsVersionOnePointFive() {
        LinkedHashMap<String, Parameter> state = net("resnet50", 1000, 3).stateDict();
        // torchvision resnet50: 320 entries, 53 of them num_batches_tracked
        assertThat(state).hasSize(267);
        // layer1.0 widens 64 -> 256, so it has a projection even at stride 1
        assertThat(state.get("layer1.0.downsample.0.weight").getShape()).isEqualTo(new Shape(256, 64, 1, 1));
        assertThat(state).containsKey("layer1.0.downsample.1.running_var");
        // v1.5: layer2.0's stride is on the 3x3 conv2, the 1x1 conv1 keeps stride 1
        ResNet net = net("resnet50", 1000, 3);
        assertThat(net.stateDict().get("layer2.0.conv2.weight").getShape()).isEqualTo(new Shape(128, 128, 3, 3));
        assertThat(net.stateDict().get("fc.weight").getShape()).isEqualTo(new Shape(1000, 2048));
        assertThat(net.featureDim()).isEqualTo(2048);
    }

    @Test
    void lastBatchNormIsTheOneBeforeTheLastResidualAdd() {
        assertThat(net("resnet50", 1000, 3).lastBatchNormName()).isEqualTo("layer4.2.bn3");
        assertThat(net("resnet18", 1000, 3).lastBatchNormName()).isEqualTo("layer4.1.bn2");
        assertThat(net("resnet101", 1000, 3).lastBatchNormName()).isEqualTo("layer4.2.bn3");
        ResNet small = net("resnet-small", 10, 1);
        assertThat(small.lastBatchNormName()).isEqualTo("layer3.1.bn2");
        assertThat(small.lastBatchNorm()).isSameAs(small.batchNorms().get("layer3.1.bn2"));
    }

    @Test
    void batchNormsAreNamedLikeTorchvisionModules() {
        LinkedHashMap<String, BatchNorm2d> norms = net("resnet50", 1000, 3).batchNorms();
        // bn1 + 16 blocks * 3 + 4 downsample BNs
        assertThat(norms).hasSize(53);
        assertThat(new ArrayList<>(norms.keySet()).subList(0, 6)).containsExactly(
                "bn1", "layer1.0.bn1", "layer1.0.bn2", "layer1.0.bn3", "layer1.0.downsample.1", "layer1.1.bn1");
        assertThat(norms).containsKey("layer4.2.bn3");
        ResNet net = net("resnet-small", 10, 1);
        net.setAllBatchNormModes(BatchNormMode.EVAL);
        assertThat(net.batchNorms().values()).allMatch(bn -> bn.getMode() == BatchNormMode.EVAL);
    }

    @Test
    void classifierParametersAreFcWeightAndBias() {
        ResNet net = net("resnet-small", 10, 1);
        assertThat(net.classifierParameters())
                .containsExactly(net.stateDict().get("fc.weight"), net.stateDict().get("fc.bias"));
    }

    @Test
    void totalStrideIsTheProductOfStrides() {
        // stem 2 * max-pool 2 * stages 1 * 2 * 2 * 2
        assertThat(net("resnet18", 1000, 3).totalStride()).isEqualTo(32);
        assertThat(net("resnet50", 1000, 3).totalStride()).isEqualTo(32);
        assertThat(net("resnet101", 1000, 3).totalStride()).isEqualTo(32);
        // stem 1 * stages 1 * 2 * 2
        assertThat(net("resnet-small", 10, 1).totalStride()).isEqualTo(4);
    }

    @Test
    void featureMapSizeFollowsConvArithmetic() {
        ResNet resnet50 = net("resnet50", 1000, 3);
        // Every strided layer is floor((n + 2p - k) / s) + 1 with p = (k - 1) / 2, i.e. ceil(n / 2):
        // stem 7x7/2 p3, max-pool 3x3/2 p1, then the 3x3/2 p1 of layer2..4 (stride-1 layers keep n).
        // 224 -> 112 -> 56 -> 56 -> 28 -> 14 -> 7
        assertThat(resnet50.featureMapSize(224)).isEqualTo(7);
        // 225 -> 113 -> 57 -> 57 -> 29 -> 15 -> 8
        assertThat(resnet50.featureMapSize(225)).isEqualTo(8);
        // 256 -> 128 -> 64 -> 64 -> 32 -> 16 -> 8
        assertThat(resnet50.featureMapSize(256)).isEqualTo(8);
        // 257 -> 129 -> 65 -> 65 -> 33 -> 17 -> 9
        assertThat(resnet50.featureMapSize(257)).isEqualTo(9);
        ResNet small = net("resnet-small", 10, 1);
        // stem 3x3/1 p1 keeps n; layer2 and layer3 halve with ceil: 24 -> 12 -> 6
        assertThat(small.featureMapSize(24)).isEqualTo(6);
        // 25 -> 13 -> 7
        assertThat(small.featureMapSize(25)).isEqualTo(7);
        // 28 -> 14 -> 7
        assertThat(small.featureMapSize(28)).isEqualTo(7);
    }

    @Test
    void everyPositiveResolutionReachesAOneByOneMap() {
        // With p = (k - 1) / 2 everywhere, n = 1 maps to floor((1 + 2p - k) / s) + 1 = 1 at every layer.
        for (String id : Architecture.ids()) {
            ResNet net = net(id, 10, 3);
            assertThat(net.minResolution()).as(id).isEqualTo(1);
            assertThat(net.featureMapSize(1)).as(id).isEqualTo(1);
        }
        assertThatThrownBy(() -> net("resnet50", 1000, 3).featureMapSize(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input resolution 0 px is below the minimum 1 px of resnet50");
    }

    @Test
    void describeListsShapesStrideParametersAndLastBatchNorm() {
        String text = net("resnet50", 1000, 3).describe(224);
        assertThat(text).contains("input    3 x 224 x 224")
                .contains("conv1    64 x 112 x 112")
                .contains("maxpool  64 x 56 x 56")
                .contains("layer1   256 x 56 x 56")
                .contains("layer2   512 x 28 x 28")
                .contains("layer3   1024 x 14 x 14")
                .contains("layer4   2048 x 7 x 7")
                .contains("avgpool  2048")
                .contains("fc       1000")
                .contains("total stride 32, final map 7x7 at 224 px")
                .contains("parameters 25,557,032")
                .contains("last BatchNorm layer4.2.bn3");
        String small = net("resnet-small", 10, 1).describe(28);
        assertThat(small).contains("conv1    32 x 28 x 28")
                .contains("layer3   128 x 7 x 7")
                .contains("total stride 4, final map 7x7 at 28 px")
                .contains("last BatchNorm layer3.1.bn2")
                .doesNotContain("maxpool");
    }

    @Test
    void builderRejectsBadValues() {
        assertThatThrownBy(() -> ResNet.builder().architecture("resnet19"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resnet19").hasMessageContaining("resnet-small");
        // library parameter names, which cli.FlagNames renames to --classes, --channels, --width
        assertThatThrownBy(() -> ResNet.builder().numClasses(0)).hasMessage("number of classes must be >= 1, got 0");
        assertThatThrownBy(() -> ResNet.builder().inputChannels(0)).hasMessage("input channels must be >= 1, got 0");
        assertThatThrownBy(() -> ResNet.builder().widthMultiplier(-1))
                .hasMessage("width multiplier must be a positive number, got -1.0");
        assertThatThrownBy(() -> ResNet.builder().widthMultiplier(Double.NaN))
                .hasMessage("width multiplier must be a positive number, got NaN");
        assertThatThrownBy(() -> ResNet.builder().architecture("resnet-small").widthMultiplier(0.01).build())
                .hasMessageContaining("width multiplier 0.01");
    }
}
