package io.fixres.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.fixres.data.ImageDataset;
import io.fixres.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A fixres checkpoint directory: {@code model.params}, the weights in the safetensors format
 * keyed by torchvision state-dict names (readable by PyTorch's {@code safetensors.torch.load_file}),
 * and {@code model.json}, the {@link ModelCard}. Loading builds the network from the card and
 * refuses weights that do not fit it.
 */
public final class Checkpoint {

    public static final String PARAMS_FILE = "model.params";
    public static final String CARD_FILE = "model.json";

    /** A network rebuilt from its card, with the saved weights. */
    public record LoadedModel(ResNet net, ModelCard card) {}

    private Checkpoint() {}

    /**
     * Writes {@code dir/model.params} then {@code dir/model.json}, each to a temporary file in
     * {@code dir} moved into place atomically, so a reader never sees a half-written file.
     *
     * @throws IllegalArgumentException if the card is invalid or does not describe {@code net}
     * @throws IllegalStateException if {@code net} has uninitialised parameters
     */
    public static void save(Path dir, ResNet net, ModelCard card) throws IOException {
        String source = "model card for " + dir.resolve(CARD_FILE);
        card.validate(source);
        card.checkDescribes(net, source);
        if (!net.stateDict().values().stream().allMatch(Parameter::isInitialized)) {
            throw new IllegalStateException("cannot save an uninitialised " + net.architecture()
                    + " to " + dir + ": initialise it or load weights first");
        }
        Files.createDirectories(dir);
        StateDictFile.writeSafetensors(net, dir.resolve(PARAMS_FILE));
        AtomicFiles.writeString(dir.resolve(CARD_FILE), card.toJson());
    }

    /**
     * Reads the card, builds the network it describes and loads the weights into {@code manager}.
     *
     * @throws CheckpointException when the directory has no card or weights, the card is invalid,
     *     or a tensor is missing, unexpected or of the wrong shape (naming the key and both shapes)
     */
    public static LoadedModel load(Path dir, NDManager manager) throws IOException {
        Path cardFile = dir.resolve(CARD_FILE);
        Path paramsFile = dir.resolve(PARAMS_FILE);
        ModelCard card = readCard(dir);
        if (!Files.isRegularFile(paramsFile)) {
            throw new CheckpointException(dir + " has " + CARD_FILE + " but no " + PARAMS_FILE);
        }
        ResNet net = card.networkBuilder().build();
        try (NDManager fileManager = manager.newSubManager()) {
            Map<String, NDArray> tensors = StateDictFile.read(fileManager, paramsFile);
            net.loadStateDict(manager, tensors, paramsFile.toString());
        } catch (NoSuchFileException e) {
            throw new CheckpointException(dir + " has " + CARD_FILE + " but no " + PARAMS_FILE, e);
        } catch (CheckpointException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(e.getMessage() + " (network built from " + cardFile + ")", e);
        }
        return new LoadedModel(net, card);
    }

    /** The card of the checkpoint in {@code dir}, validated; the weights are not read. */
    public static ModelCard readCard(Path dir) throws IOException {
        Path cardFile = dir.resolve(CARD_FILE);
        if (!Files.isRegularFile(cardFile)) {
            throw new CheckpointException(dir + " has no " + CARD_FILE + ": not a fixres checkpoint");
        }
        try {
            return ModelCard.read(cardFile);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
    }

    /**
     * The network the card in {@code dir} describes, without weights: enough to check resolutions
     * against it before any data is read or weights loaded.
     */
    public static ResNet describedNetwork(Path dir) throws IOException {
        return readCard(dir).networkBuilder().build();
    }

    /**
     * Throws, naming both sources and both counts, when {@code data} cannot go through the
     * checkpoint in {@code dir}: other image channels, or (for labelled data) another number of
     * classes, whose labels the classifier's rows would not match.
     */
    public static void requireFits(Path dir, ModelCard card, ImageDataset data) {
        if (data.channels() != card.getInputChannels()) {
            throw new CheckpointException("the checkpoint " + dir + " takes " + card.getInputChannels() + "-channel images"
                    + " but the data set " + data.source() + " has " + data.channels() + "-channel images");
        }
        if (data.numClasses() > 0 && data.numClasses() != card.getNumClasses()) {
            throw new CheckpointException("the checkpoint " + dir + " has " + card.getNumClasses() + " classes but the"
                    + " data set " + data.source() + " has " + data.numClasses() + "; a model is evaluated and fine-tuned"
                    + " on data with its own classes");
        }
    }
}
