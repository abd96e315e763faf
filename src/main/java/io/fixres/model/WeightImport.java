package io.fixres.model;

import io.fixres.io.InvalidParameterException;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a torchvision/timm state dict ({@code .safetensors} or {@code .npz}, see
 * {@link StateDictFile}) into a fixres network and its card. The network's shape comes from the
 * file: classes from {@code fc.weight} (numClasses x features), input channels and width from
 * {@code conv1.weight}; then every key must map onto the network with the right shape
 * ({@link ResNet#loadStateDict}: missing, unexpected and wrongly shaped keys are listed;
 * {@code num_batches_tracked} is ignored). The card says how the model expects its inputs:
 * ImageNet mean/std unless given, resize to floor(K / 0.875) then centre crop K, bilinear
 * (torchvision's evaluation transform, which the FixRes paper's baselines use).
 *
 * <pre>{@code
 * WeightImport.Imported imported = WeightImport.builder(Path.of("resnet50.safetensors"))
 *         .architecture("resnet50").trainResolution(224).build().run(manager);
 * Checkpoint.save(dir, imported.net(), imported.card());
 * }</pre>
 */
public final class WeightImport {

    /** torch.nn.DataParallel's key prefix, which the FixRes authors' released weights carry. */
    public static final String DATA_PARALLEL_PREFIX = "module.";
    public static final int DEFAULT_TRAIN_RESOLUTION = 224;

    /** The imported network (parameters in the caller's manager), its card, and what the import did on the way. */
    public record Imported(ResNet net, ModelCard card, int tensorsRead, List<String> notes) {}

    private final Path weights;
    private final Architecture architecture;
    private final List<String> classNames;
    private final int trainResolution;
    private final double[] mean;
    private final double[] std;

    private WeightImport(Builder b) {
        this.weights = b.weights;
        this.architecture = Objects.requireNonNull(b.architecture, "architecture (resnet18, resnet50, ...)");
        this.classNames = b.classNames;
        this.trainResolution = b.trainResolution;
        this.mean = b.mean;
        this.std = b.std;
    }

    public static Builder builder(Path weights) {
        return new Builder(weights);
    }

    /**
     * Reads the file, builds the network it describes and loads every tensor into {@code manager}.
     *
     * @throws CheckpointException naming the file: unreadable or pickled file, missing/unexpected/
     *     wrongly shaped keys, class names or mean/std that do not fit the weights
     */
    public Imported run(NDManager manager) throws IOException {
        try (NDManager fileManager = manager.newSubManager()) {
            List<String> notes = new ArrayList<>();
            Map<String, NDArray> tensors = stripDataParallelPrefix(StateDictFile.read(fileManager, weights), notes);
            ResNet net = buildNetworkFor(tensors);
            try {
                net.loadStateDict(manager, tensors, weights.toString());
            } catch (IllegalArgumentException e) {
                throw new CheckpointException(e.getMessage() + " (expected torchvision/timm " + architecture
                        + " key names, e.g. conv1.weight, layer1.0.bn1.running_mean, fc.bias)", e);
            }
            long ignored = tensors.keySet().stream().filter(k -> k.endsWith("num_batches_tracked")).count();
            if (ignored > 0) {
                notes.add("ignored " + ignored + " num_batches_tracked counters (unused at inference and by fine-tuning)");
            }
            return new Imported(net, cardFor(net), tensors.size(), notes);
        }
    }

    private Map<String, NDArray> stripDataParallelPrefix(Map<String, NDArray> tensors, List<String> notes) {
        if (tensors.isEmpty() || !tensors.keySet().stream().allMatch(k -> k.startsWith(DATA_PARALLEL_PREFIX))) {
            return tensors;
        }
        Map<String, NDArray> stripped = new LinkedHashMap<>();
        tensors.forEach((key, value) -> stripped.put(key.substring(DATA_PARALLEL_PREFIX.length()), value));
        notes.add("stripped the DataParallel prefix '" + DATA_PARALLEL_PREFIX + "' from every key");
        return stripped;
    }

    /**
     * The network the tensors describe. When conv1.weight or fc.weight is absent the defaults
     * (3 channels, width x1, 1000 classes) stand in, so that the key check reports everything missing at once.
     */
    private ResNet buildNetworkFor(Map<String, NDArray> tensors) {
        ResNet.Builder builder = ResNet.builder().architecture(architecture);
        NDArray fc = tensors.get("fc.weight");
        if (fc != null) {
            Shape shape = requireDims(fc, "fc.weight", 2, "(classes, features)");
            builder.numClasses((int) shape.get(0));
        }
        NDArray conv1 = tensors.get("conv1.weight");
        if (conv1 != null) {
            Shape shape = requireDims(conv1, "conv1.weight", 4, "(out channels, in channels, kH, kW)");
            builder.inputChannels((int) shape.get(1));
            // torchvision has no width multiplier; a file of another width fits only if every stage scales alike,
            // which the shape check then confirms or refutes key by key
            builder.widthMultiplier(shape.get(0) / (double) architecture.baseWidth(0));
        }
        return builder.build();
    }

    private Shape requireDims(NDArray array, String key, int dims, String expected) {
        Shape shape = array.getShape();
        if (shape.dimension() != dims) {
            throw new CheckpointException(weights + ": tensor '" + key + "' has shape " + shape
                    + ", expected " + dims + " dimensions " + expected);
        }
        return shape;
    }

    private ModelCard cardFor(ResNet net) {
        ModelCard card = ModelCard.forModel(net);
        if (classNames != null && classNames.size() != net.numClasses()) {
            throw new CheckpointException("the class-name list has " + classNames.size() + " names but " + weights
                    + " has " + net.numClasses() + " classes (fc.weight has " + net.numClasses() + " rows)");
        }
        card.setClassNames(classNames);
        double[] m = mean != null ? mean : ModelCard.IMAGENET_MEAN;
        double[] s = std != null ? std : ModelCard.IMAGENET_STD;
        if (m.length != net.inputChannels() || s.length != net.inputChannels()) {
            throw new CheckpointException(weights + " takes " + net.inputChannels() + "-channel input (conv1.weight)"
                    + " but the normalisation has " + m.length + " mean and " + s.length + " std values"
                    + (mean == null ? " (ImageNet's, the default): give --mean and --std" : ""));
        }
        card.setMean(m.clone());
        card.setStd(s.clone());
        card.setTrainResolution(trainResolution);
        card.setTrainAugmentation(null); // trained elsewhere: the card says "imported"
        // the card's defaults are torchvision's evaluation transform: shorter side to floor(K / 0.875), centre crop K, bilinear
        card.setDataset("imported from " + weights.getFileName());
        card.validate("model card for " + weights);
        return card;
    }

    /**
     * Class names from a text file, one per line (ImageNet's synset words, for example); blank
     * lines and surrounding spaces are dropped.
     */
    public static List<String> readClassNames(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("class-name file " + file + " does not exist; expected one class name per line");
        }
        List<String> names = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(String::strip).filter(line -> !line.isEmpty()).toList();
        if (names.isEmpty()) {
            throw new CheckpointException("class-name file " + file + " is empty; expected one class name per line");
        }
        return names;
    }

    /** Configures a {@link WeightImport}; the architecture is required. */
    public static final class Builder {
        private final Path weights;
        private Architecture architecture;
        private List<String> classNames;
        private int trainResolution = DEFAULT_TRAIN_RESOLUTION;
        private double[] mean;
        private double[] std;

        private Builder(Path weights) {
            this.weights = Objects.requireNonNull(weights, "weights");
        }

        /** resnet18, resnet34, resnet50, resnet101 or resnet-small: the key layout to expect. */
        public Builder architecture(String id) {
            this.architecture = Architecture.fromId(id);
            return this;
        }

        /** Names for the classes in fc's row order; default: none recorded. */
        public Builder classNames(List<String> classNames) {
            this.classNames = classNames == null ? null : List.copyOf(classNames);
            return this;
        }

        /** The resolution the weights were trained at (K_train); default 224, torchvision's and timm's. */
        public Builder trainResolution(int trainResolution) {
            InvalidParameterException.require(trainResolution >= 1, "train resolution", "must be a positive number of pixels",
                    trainResolution);
            this.trainResolution = trainResolution;
            return this;
        }

        /** Per-channel input normalisation; default ImageNet's (3 channels). */
        public Builder normalization(double[] mean, double[] std) {
            this.mean = mean == null ? null : mean.clone();
            this.std = std == null ? null : std.clone();
            return this;
        }

        public WeightImport build() {
            return new WeightImport(this);
        }
    }
}
