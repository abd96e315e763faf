package io.fixres.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
        writeAtomically(dir, PARAMS_FILE, out -> encodeStateDict(net, out));
        writeAtomically(dir, CARD_FILE, out -> out.write(card.toJson().getBytes(StandardCharsets.UTF_8)));
    }

    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private static void writeAtomically(Path dir, String name, Writer writer) throws IOException {
        Path tmp = Files.createTempFile(dir, "." + name + ".", ".tmp");
        try {
            try (FileOutputStream file = new FileOutputStream(tmp.toFile());
                 OutputStream out = new BufferedOutputStream(file, 1 << 20)) {
                writer.write(out);
                out.flush();
                file.getChannel().force(true);
            }
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** safetensors needs a name per array: lend each parameter array its state-dict key while encoding. */
    private static void encodeStateDict(ResNet net, OutputStream out) throws IOException {
        NDList list = new NDList();
        List<String> originalNames = new ArrayList<>();
        try {
            for (Map.Entry<String, Parameter> entry : net.stateDict().entrySet()) {
                NDArray array = entry.getValue().getArray();
                originalNames.add(array.getName());
                array.setName(entry.getKey());
                list.add(array);
            }
            list.encode(out, NDList.Encoding.SAFETENSORS);
        } finally {
            for (int i = 0; i < originalNames.size(); i++) {
                list.get(i).setName(originalNames.get(i));
            }
        }
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
        try (NDManager fileManager = manager.newSubManager();
             InputStream in = new BufferedInputStream(Files.newInputStream(paramsFile), 1 << 20)) {
            Map<String, NDArray> tensors = decode(fileManager, in, paramsFile);
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

    private static Map<String, NDArray> decode(NDManager manager, InputStream in, Path file) {
        NDList list;
        try {
            list = NDList.decode(manager, in);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CheckpointException(file + " is not a readable parameter file: " + e.getMessage(), e);
        }
        Map<String, NDArray> tensors = new HashMap<>();
        for (NDArray array : list) {
            if (array.getName() == null || tensors.put(array.getName(), array) != null) {
                throw new CheckpointException(file + " has an unnamed or repeated tensor '" + array.getName() + "'");
            }
        }
        return tensors;
    }
}
