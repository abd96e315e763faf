package io.fixres.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

class CheckpointTest {

    @TempDir
    Path dir;
    private NDManager manager;
    private ResNet net;

    @BeforeEach
    void setUp() {
        Engine.getInstance().setRandomSeed(3);
        manager = NDManager.newBaseManager();
        net = ResNet.builder().architecture("resnet-small").numClasses(10).inputChannels(1).build();
        net.initialize(manager, 24);
        // a training forward moves every running mean/var away from 0/1, so the test sees them saved
        forward(net, manager.randomNormal(new Shape(4, 1, 24, 24)), true);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private float[] forward(ResNet model, NDArray x, boolean training) {
        return model.forward(new ParameterStore(manager, false), new NDList(x), training).singletonOrThrow().toFloatArray();
    }

    private void save() throws Exception {
        Checkpoint.save(dir, net, ModelCardTest.fashionMnistCard());
    }

    @Test
    void aNaNWeightIsRefusedOnLoadNamingTheFileAndTheTorchvisionKey() throws Exception {
        net.stateDict().get("fc.weight").getArray().set(new ai.djl.ndarray.index.NDIndex("0, 1"), Float.NaN);
        save();
        try (NDManager other = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> Checkpoint.load(dir, other))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageContaining(dir.resolve("model.params").toString())
                    .hasMessageContaining("tensor 'fc.weight' holds NaN or infinite values");
        }
    }

    @Test
    void anInfiniteRunningVarianceIsRefusedOnLoadToo() throws Exception {
        net.stateDict().get("bn1.running_var").getArray().set(new ai.djl.ndarray.index.NDIndex("0"), Float.POSITIVE_INFINITY);
        save();
        try (NDManager other = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> Checkpoint.load(dir, other)).hasMessageContaining("tensor 'bn1.running_var'");
        }
    }

    @Test
    void roundTripGivesBitIdenticalLogitsAndTensors() throws Exception {
        NDArray x = manager.randomNormal(new Shape(3, 1, 28, 28));
        float[] logits = forward(net, x, false);
        save();
        assertThat(dir.resolve("model.params")).isRegularFile();
        assertThat(dir.resolve("model.json")).isRegularFile();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("model.params", "model.json");
        }
        try (NDManager other = NDManager.newBaseManager()) {
            Checkpoint.LoadedModel loaded = Checkpoint.load(dir, other);
            assertThat(loaded.card().getArchitecture()).isEqualTo("resnet-small");
            assertThat(loaded.card().getTrainResolution()).isEqualTo(24);
            LinkedHashMap<String, ai.djl.nn.Parameter> saved = net.stateDict();
            loaded.net().stateDict().forEach((key, p) -> {
                assertThat(p.getArray().toFloatArray()).as(key).isEqualTo(saved.get(key).getArray().toFloatArray());
                assertThat(p.requiresGradient()).as(key).isEqualTo(saved.get(key).requiresGradient());
            });
            float[] reloaded = loaded.net().forward(new ParameterStore(other, false),
                    new NDList(x.toDevice(x.getDevice(), true)), false).singletonOrThrow().toFloatArray();
            assertThat(reloaded).containsExactly(logits);
        }
        // the save did not rename the live arrays
        assertThat(net.stateDict().get("conv1.weight").getArray().getName()).isEqualTo("weight");
    }

    @Test
    void savingAgainReplacesTheFiles() throws Exception {
        save();
        net.stateDict().get("fc.bias").getArray().set(new float[10]);
        save();
        try (NDManager other = NDManager.newBaseManager()) {
            assertThat(Checkpoint.load(dir, other).net().stateDict().get("fc.bias").getArray().toFloatArray())
                    .containsOnly(0f);
        }
    }

    @Test
    void aDirectoryWithoutCardIsNotACheckpoint() {
        assertThatThrownBy(() -> Checkpoint.load(dir, manager))
                .isInstanceOf(CheckpointException.class)
                .hasMessage(dir + " has no model.json: not a fixres checkpoint");
    }

    @Test
    void aCardWithoutWeightsIsRefused() throws Exception {
        save();
        Files.delete(dir.resolve("model.params"));
        assertThatThrownBy(() -> Checkpoint.load(dir, manager))
                .isInstanceOf(CheckpointException.class)
                .hasMessage(dir + " has model.json but no model.params");
    }

    private void editCard(String from, String to) throws Exception {
        Path card = dir.resolve("model.json");
        String json = Files.readString(card);
        assertThat(json).contains(from);
        Files.writeString(card, json.replace(from, to));
    }

    @Test
    void weightsOfAnotherWidthAreRefusedNamingKeyShapesAndCard() throws Exception {
        save();
        editCard("\"width_multiplier\" : 1.0", "\"width_multiplier\" : 0.5");
        editCard("\"parameter_count\" : 696042", "\"parameter_count\" : 0");
        assertThatThrownBy(() -> Checkpoint.load(dir, manager))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(dir.resolve("model.params") + ": tensor 'conv1.weight' has shape (32, 1, 3, 3)")
                .hasMessageContaining("expects (16, 1, 3, 3)")
                .hasMessageContaining("network built from " + dir.resolve("model.json"));
    }

    @Test
    void weightsOfAnotherClassCountAreRefused() throws Exception {
        save();
        editCard("\"num_classes\" : 10", "\"num_classes\" : 9");
        editCard("\"class_names\" : [ \"T-shirt/top\", ", "\"class_names\" : [ ");
        editCard("\"parameter_count\" : 696042", "\"parameter_count\" : 0");
        assertThatThrownBy(() -> Checkpoint.load(dir, manager))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("tensor 'fc.weight' has shape (10, 128)")
                .hasMessageContaining("expects (9, 128)");
    }

    @Test
    void weightsOfAnotherArchitectureAreRefusedListingTheKeys() throws Exception {
        save();
        editCard("\"architecture\" : \"resnet-small\"", "\"architecture\" : \"resnet18\"");
        editCard("\"parameter_count\" : 696042", "\"parameter_count\" : 0");
        assertThatThrownBy(() -> Checkpoint.load(dir, manager))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("does not match resnet18")
                // sorted, the first 8 of the 25 layer4 tensors resnet18 has beyond the small net
                .hasMessageContaining("missing tensors [layer4.0.bn1.bias, layer4.0.bn1.running_mean,")
                .hasMessageContaining("layer4.0.bn2.weight, ... (25 in all)]");
    }

    @Test
    void anInvalidCardIsRefusedNamingTheFileAndField() throws Exception {
        save();
        editCard("\"train_augmentation\" : \"rrc\"", "\"train_augmentation\" : \"flip\"");
        assertThatThrownBy(() -> Checkpoint.load(dir, manager))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(dir.resolve("model.json") + " is not a valid model card: ")
                .hasMessageContaining("unknown training augmentation 'flip': expected rrc or resize-crop");
    }

    @Test
    void aCorruptParameterFileIsRefused() throws Exception {
        save();
        Files.write(dir.resolve("model.params"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        assertThatThrownBy(() -> Checkpoint.load(dir, manager))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining(dir.resolve("model.params").toString());
    }

    @Test
    void saveRefusesACardThatDoesNotDescribeTheNetwork() {
        ModelCard card = ModelCardTest.fashionMnistCard();
        card.setInputChannels(3);
        card.setMean(ModelCard.IMAGENET_MEAN);
        card.setStd(ModelCard.IMAGENET_STD);
        assertThatThrownBy(() -> Checkpoint.save(dir, net, card))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input_channels is 3, expected 1 (the network's)");
        assertThat(dir.resolve("model.json")).doesNotExist();
    }

    @Test
    void saveRefusesAnUninitialisedNetwork() {
        ResNet fresh = ResNet.builder().architecture("resnet-small").numClasses(10).inputChannels(1).build();
        assertThatThrownBy(() -> Checkpoint.save(dir, fresh, ModelCardTest.fashionMnistCard()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot save an uninitialised resnet-small");
    }

    @Test
    void paramsFileIsSafetensorsKeyedByTorchvisionNames() throws Exception {
        save();
        try (NDManager other = NDManager.newBaseManager();
             var in = Files.newInputStream(dir.resolve("model.params"))) {
            NDList list = NDList.decode(other, in);
            Map<String, Shape> shapes = new LinkedHashMap<>();
            list.forEach(a -> shapes.put(a.getName(), a.getShape()));
            assertThat(shapes).hasSize(net.stateDict().size())
                    .containsEntry("layer2.0.downsample.1.running_var", new Shape(64))
                    .containsEntry("fc.weight", new Shape(10, 128));
        }
        byte[] head = Files.readAllBytes(dir.resolve("model.params"));
        assertThat(head[8]).isEqualTo((byte) '{'); // u64 little-endian header length, then the JSON header
    }
}
