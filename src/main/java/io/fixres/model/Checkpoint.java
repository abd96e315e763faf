package io.fixres.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
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
        if (!Files.isRegularFile(cardFile)) {
            throw new CheckpointException(dir + " has no " + CARD_FILE + ": not a fixres checkpoint");
        }
        ModelCard card;
        try {
            card = ModelCard.read(cardFile);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(e.getMessage(), e);
        }
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
}
