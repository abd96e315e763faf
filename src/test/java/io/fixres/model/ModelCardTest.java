package io.fixres.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

class ModelCardTest {

    /** A complete card for the small ResNet on Fashion-MNIST, without touching the engine. */
    static ModelCard fashionMnistCard() {
        ModelCard card = new ModelCard();
        card.setArchitecture("resnet-small");
        card.setNumClasses(10);
        card.setClassNames(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"));
        card.setInputChannels(1);
        card.setMean(new double[] {0.2860});
        card.setStd(new double[] {0.3530});
        card.setTrainResolution(24);
        card.setTrainAugmentation(io.fixres.transform.TrainAugmentation.RRC);
        card.setDataset("fashion-mnist");
        card.setSeed(42L);
        card.setParameterCount(696_042L);
        card.setVersions(new ModelCard.Versions("0.1.0", "0.36.0", "2.7.1"));
        card.setCreatedAt("2025-01-01T00:00:00Z");
        return card;
    }

    @Test
    void roundTripsThroughSnakeCaseJson() throws Exception {
        ModelCard card = fashionMnistCard();
        card.setRecommendedTestResolution(32);
        card.getFineTunings().add(new ModelCard.FineTuning(32, "stats", "test", 2, 0.008, 88.5, 90.25));
        card.getAdaptations().add(Map.of("kind", "frechet", "xi", 0.3));
        String json = card.toJson();
        assertThat(json).contains("\"format_version\" : 1", "\"num_classes\" : 10", "\"train_augmentation\" : \"rrc\"",
                "\"test_crop_ratio\" : 0.875", "\"resize_mode\" : \"shorter-side\"", "\"interpolation\" : \"bilinear\"",
                "\"recommended_test_resolution\" : 32", "\"fine_tunings\"", "\"test_resolution\" : 32",
                "\"bn_mode\" : \"stats\"", "\"accuracy_after\" : 90.25", "\"parameter_count\" : 696042")
                .contains("\n"); // indented
        ModelCard back = ModelCard.fromJson(json);
        assertThat(back.toJson()).isEqualTo(json);
        assertThat(back.getFineTunings()).containsExactly(new ModelCard.FineTuning(32, "stats", "test", 2, 0.008, 88.5, 90.25));
        assertThat(back.getMean()).containsExactly(0.2860);
        assertThat(back.getAdaptations().get(0)).containsEntry("kind", "frechet");
        back.validate("test");
    }

    @Test
    void recommendedResolutionIsNullUntilKnown() throws Exception {
        String json = fashionMnistCard().toJson();
        assertThat(json).contains("\"recommended_test_resolution\" : null");
        assertThat(ModelCard.fromJson(json).getRecommendedTestResolution()).isNull();
    }

    @Test
    void validationNamesTheSourceTheFieldAndWhatWasExpected() {
        ModelCard card = fashionMnistCard();
        card.setMean(new double[] {0.485, 0.456, 0.406});
        assertThatThrownBy(() -> card.validate("x/model.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x/model.json: mean is 3 values, expected 1 values (input_channels)");
        ModelCard arch = fashionMnistCard();
        arch.setArchitecture("vgg16");
        assertThatThrownBy(() -> arch.validate("c")).hasMessageContaining("architecture is vgg16, expected one of [resnet18");
        ModelCard names = fashionMnistCard();
        names.setClassNames(List.of("a", "b"));
        assertThatThrownBy(() -> names.validate("c")).hasMessage("c: class_names is 2 names, expected 10 names (num_classes)");
        ModelCard resize = fashionMnistCard();
        resize.setResizeMode(null);
        assertThatThrownBy(() -> resize.validate("c")).hasMessage("c: resize_mode is null, expected one of [shorter-side, height]");
        ModelCard version = fashionMnistCard();
        version.setFormatVersion(2);
        assertThatThrownBy(() -> version.validate("c")).hasMessage("c: format_version is 2, expected 1");
    }

    @Test
    void readRefusesMalformedJsonNamingTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.json");
        Files.writeString(file, "{\"architecture\": \"resnet-small\", \"wings\": 2}");
        assertThatThrownBy(() -> ModelCard.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file + " is not a valid model card").hasMessageContaining("wings");
    }

    @Test
    void typedFieldsReadTheirIdsAndRefuseUnknownOnesNamingTheFile(@TempDir Path dir) throws Exception {
        ModelCard card = fashionMnistCard();
        card.setTrainAugmentation(null); // weights trained elsewhere
        card.setResizeMode(io.fixres.transform.ResizeMode.HEIGHT);
        String json = card.toJson();
        assertThat(json).contains("\"train_augmentation\" : \"imported\"").contains("\"resize_mode\" : \"height\"")
                .contains("\"interpolation\" : \"bilinear\"");
        ModelCard reread = ModelCard.fromJson(json);
        assertThat(reread.getTrainAugmentation()).isNull();
        assertThat(reread.getResizeMode()).isEqualTo(io.fixres.transform.ResizeMode.HEIGHT);
        assertThat(ModelCard.fromJson(json.replace("\"imported\"", "\"resize-crop\"")).getTrainAugmentation())
                .isEqualTo(io.fixres.transform.TrainAugmentation.RESIZE_CROP);

        Path file = dir.resolve("model.json");
        Files.writeString(file, json.replace("\"imported\"", "\"random\""));
        assertThatThrownBy(() -> ModelCard.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(file + " is not a valid model card")
                .hasMessageContaining("unknown training augmentation 'random': expected rrc or resize-crop");
    }

    @Test
    void forModelFillsTheNetworkFieldsAndVersions() {
        ResNet net = ResNet.builder().architecture("resnet18").numClasses(7).inputChannels(3).widthMultiplier(0.5).build();
        ModelCard card = ModelCard.forModel(net);
        assertThat(card.getArchitecture()).isEqualTo("resnet18");
        assertThat(card.getNumClasses()).isEqualTo(7);
        assertThat(card.getInputChannels()).isEqualTo(3);
        assertThat(card.getWidthMultiplier()).isEqualTo(0.5);
        assertThat(card.getParameterCount()).isEqualTo(net.parameterCount());
        assertThat(card.getVersions().djl()).isEqualTo("0.36.0");
        assertThat(card.getVersions().pytorch()).isEqualTo("2.7.1");
        assertThat(card.getCreatedAt()).isNotBlank();
        assertThat(card.getTestCropRatio()).isEqualTo(0.875);
        card.checkDescribes(net, "card");
        ResNet rebuilt = card.networkBuilder().build();
        assertThat(rebuilt.stateDict().keySet()).containsExactlyElementsOf(net.stateDict().keySet());
        assertThat(rebuilt.parameterCount()).isEqualTo(net.parameterCount());
    }

    @Test
    void checkDescribesComparesTheCardWithTheNetwork() {
        ResNet net = ResNet.builder().architecture("resnet-small").numClasses(10).inputChannels(1).build();
        fashionMnistCard().checkDescribes(net, "card");
        ModelCard classes = fashionMnistCard();
        classes.setNumClasses(100);
        assertThatThrownBy(() -> classes.checkDescribes(net, "card"))
                .hasMessage("card: num_classes is 100, expected 10 (the network's)");
        ModelCard count = fashionMnistCard();
        count.setParameterCount(5);
        assertThatThrownBy(() -> count.checkDescribes(net, "card")).hasMessageContaining("parameter_count is 5");
    }
}
