package io.fixres.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refusals of {@link WeightImport}: each names the file and the offending key, class list or normalisation. */
class WeightImportTest {
    private static final double[] GRAY = {0.5};

    @TempDir
    Path tmp;
    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** The resnet-small fixture's state dict, edited, written to a new safetensors file. */
    private Path editedFixture(Consumer<Map<String, NDArray>> edit) throws Exception {
        Path file = tmp.resolve("edited.safetensors");
        try (NDManager files = manager.newSubManager(); OutputStream out = Files.newOutputStream(file)) {
            LinkedHashMap<String, NDArray> tensors = StateDictFile.read(files, TorchParityTest.fixture("resnet-small.safetensors"));
            edit.accept(tensors);
            StateDictFile.writeSafetensors(tensors, out);
        }
        return file;
    }

    private WeightImport.Imported importSmall(Path file) throws Exception {
        return WeightImport.builder(file).architecture("resnet-small").normalization(GRAY, GRAY).build().run(manager);
    }

    @Test
    void aMissingKeyIsNamed() throws Exception {
        Path file = editedFixture(t -> t.remove("layer2.1.bn1.running_var"));
        assertThatThrownBy(() -> importSmall(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file + " does not match resnet-small (10 classes, 1 input channels, width x1.0)")
                .hasMessageContaining("; missing tensors [layer2.1.bn1.running_var]")
                .hasMessageNotContaining("unexpected")
                .hasMessageEndingWith("(expected torchvision/timm resnet-small key names, e.g. conv1.weight,"
                        + " layer1.0.bn1.running_mean, fc.bias)");
    }

    @Test
    void anUnexpectedKeyIsNamedButCountersAreNot() throws Exception {
        Path file = editedFixture(t -> t.put("head.weight", manager.zeros(new Shape(10, 128))));
        assertThatThrownBy(() -> importSmall(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("; unexpected tensors [head.weight]")
                .hasMessageNotContaining("num_batches_tracked")
                .hasMessageNotContaining("missing");
    }

    @Test
    void missingAndUnexpectedKeysAreListedTogether() throws Exception {
        // timm-style renaming the importer does not do: fc -> head.fc
        Path file = editedFixture(t -> {
            t.put("head.fc.bias", t.remove("fc.bias"));
        });
        assertThatThrownBy(() -> importSmall(file))
                .hasMessageContaining("; missing tensors [fc.bias]; unexpected tensors [head.fc.bias]");
    }

    @Test
    void aWrongShapeIsNamedWithBothShapes() throws Exception {
        Path file = editedFixture(t -> t.put("layer3.0.conv2.weight", manager.zeros(new Shape(128, 128, 1, 1))));
        assertThatThrownBy(() -> importSmall(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file + ": tensor 'layer3.0.conv2.weight' has shape (128, 128, 1, 1) but"
                        + " resnet-small (10 classes, 1 input channels, width x1.0) expects (128, 128, 3, 3)");
    }

    @Test
    void everyWrongShapeIsListed() throws Exception {
        Path file = editedFixture(t -> {
            t.put("layer1.0.bn1.weight", manager.zeros(new Shape(31)));
            t.put("layer3.1.bn2.running_var", manager.zeros(new Shape(127)));
        });
        assertThatThrownBy(() -> importSmall(file))
                .hasMessageContaining("tensor 'layer1.0.bn1.weight' has shape (31) but resnet-small")
                .hasMessageContaining("; tensor 'layer3.1.bn2.running_var' has shape (127), expected (128)");
    }

    @Test
    void theClassCountComesFromTheClassifierAndChannelsFromTheStem() throws Exception {
        Path file = editedFixture(t -> {
            t.put("fc.weight", manager.ones(new Shape(3, 128)));
            t.put("fc.bias", manager.zeros(new Shape(3)));
        });
        WeightImport.Imported imported = WeightImport.builder(file).architecture("resnet-small")
                .normalization(GRAY, GRAY).classNames(List.of("a", "b", "c")).trainResolution(28).build().run(manager);
        ModelCard card = imported.card();
        assertThat(card.getNumClasses()).isEqualTo(3);
        assertThat(card.getClassNames()).containsExactly("a", "b", "c");
        assertThat(card.getInputChannels()).isEqualTo(1);
        assertThat(card.getTrainResolution()).isEqualTo(28);
        assertThat(card.getTrainAugmentation()).isNull(); // written "imported"
        assertThat(card.getTestCropRatio()).isEqualTo(0.875);
        assertThat(card.getInterpolation()).isEqualTo(io.fixres.transform.Interpolation.BILINEAR);
        assertThat(card.getResizeMode()).isEqualTo(io.fixres.transform.ResizeMode.SHORTER_SIDE);
        assertThat(card.getDataset()).isEqualTo("imported from edited.safetensors");
        assertThat(card.getParameterCount()).isEqualTo(imported.net().parameterCount());
    }

    @Test
    void theDefaultCardIsImageNetsAt224() throws Exception {
        Path weights = TorchParityTest.fixture("resnet-small-w025.npz");
        ModelCard card = WeightImport.builder(weights).architecture("resnet-small").build().run(manager).card();
        assertThat(card.getMean()).containsExactly(0.485, 0.456, 0.406);
        assertThat(card.getStd()).containsExactly(0.229, 0.224, 0.225);
        assertThat(card.getTrainResolution()).isEqualTo(224);
        assertThat(card.getClassNames()).isNull();
    }

    @Test
    void aClassListOfTheWrongLengthIsRefused() {
        Path weights = TorchParityTest.fixture("resnet-small-w025.npz");
        assertThatThrownBy(() -> WeightImport.builder(weights).architecture("resnet-small")
                .classNames(List.of("cat", "dog")).build().run(manager))
                .isInstanceOf(CheckpointException.class)
                .hasMessage("the class-name list has 2 names but " + weights + " has 10 classes (fc.weight has 10 rows)");
    }

    @Test
    void imageNetNormalisationDoesNotFitAGrayNetwork() {
        Path weights = TorchParityTest.fixture("resnet-small.safetensors");
        assertThatThrownBy(() -> WeightImport.builder(weights).architecture("resnet-small").build().run(manager))
                .isInstanceOf(CheckpointException.class)
                .hasMessage(weights + " takes 1-channel input (conv1.weight) but the normalisation has 3 mean and 3 std"
                        + " values (ImageNet's, the default): give --mean and --std");
    }

    @Test
    void weightsOfAnotherArchitectureListTheMissingKeys() {
        Path weights = TorchParityTest.fixture("resnet-small.safetensors");
        assertThatThrownBy(() -> WeightImport.builder(weights).architecture("resnet18").build().run(manager))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("does not match resnet18")
                .hasMessageContaining("missing tensors [layer4.0.bn1.bias,") // resnet-small has no layer4
                .hasMessageContaining("in all)]");
    }

    @Test
    void classNamesAreReadOnePerLine() throws Exception {
        Path file = tmp.resolve("classes.txt");
        Files.writeString(file, "tench\n goldfish \n\ngreat white shark\n");
        assertThat(WeightImport.readClassNames(file)).containsExactly("tench", "goldfish", "great white shark");
        Files.writeString(file, "\n  \n");
        assertThatThrownBy(() -> WeightImport.readClassNames(file))
                .hasMessage("class-name file " + file + " is empty; expected one class name per line");
        assertThatThrownBy(() -> WeightImport.readClassNames(tmp.resolve("none.txt")))
                .hasMessageContaining("does not exist");
    }
}
