package io.fixres.model;

import io.fixres.core.ActivationHook;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.fixres.core.BatchNormMode;
import io.fixres.core.FixResNetwork;
import io.fixres.core.SwitchableBatchNorm;

import io.fixres.io.InvalidParameterException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A ResNet with torchvision's topology and state-dict key names, as a DJL {@link ai.djl.nn.Block}:
 * conv1, bn1, relu, [maxpool], layer1..layerN of residual blocks, global average pooling
 * (adaptive: the mean over H and W, so any input size at or above {@link #minResolution()} runs)
 * and fc. The forward returns {@code NDList(logits)} of shape (N, numClasses).
 *
 * <p>It is the {@link FixResNetwork} the FixRes step works on. Initialise it first ({@link #initialize(NDManager, int)}), or load weights: {@code newTrainer}
 * only sets initialisers, and {@code Trainer.initialize} leaves initialised parameters as they are.
 */
public final class ResNet extends AbstractBlock implements TorchModule, FixResNetwork {

    private static final int MAX_RESOLUTION_SEARCH = 1 << 16;

    private final Architecture architecture;
    private final int numClasses;
    private final int inputChannels;
    private final double widthMultiplier;
    private final ConvLayer conv1;
    private final BatchNorm2d bn1;
    private final List<List<ResidualBlock>> stages = new ArrayList<>();
    private final List<ResidualBlock> blocks = new ArrayList<>();
    private final LinearLayer fc;
    private final int minResolution;
    private volatile ActivationHook hook = ActivationHook.IDENTITY;
    private final boolean channelsLastSafe;
    private volatile boolean channelsLast;

    private ResNet(Builder b) {
        this.architecture = b.architecture;
        this.numClasses = b.numClasses;
        this.inputChannels = b.inputChannels;
        this.widthMultiplier = b.widthMultiplier;
        int stemWidth = scaledWidth(architecture.baseWidth(0));
        SpatialGeometry stem = architecture.stem();
        conv1 = addChildBlock("conv1", new ConvLayer(inputChannels, stemWidth, stem.kernel(), stem.stride(), stem.padding()));
        bn1 = addChildBlock("bn1", new BatchNorm2d(stemWidth));
        int channels = stemWidth;
        for (int s = 0; s < architecture.stageCount(); s++) {
            List<ResidualBlock> stage = new ArrayList<>();
            int planes = scaledWidth(architecture.baseWidth(s));
            for (int i = 0; i < architecture.blocksInStage(s); i++) {
                int stride = i == 0 ? architecture.stageStride(s) : 1;
                ResidualBlock block = switch (architecture.blockKind()) {
                    case BASIC -> new BasicBlock(channels, planes, stride, b.zeroInitResidual);
                    case BOTTLENECK -> new Bottleneck(channels, planes, stride, b.zeroInitResidual);
                };
                stage.add(addChildBlock(stageName(s) + "." + i, block));
                channels = block.outChannels();
            }
            stages.add(Collections.unmodifiableList(stage));
            blocks.addAll(stage);
        }
        fc = addChildBlock("fc", new LinearLayer(channels, numClasses));
        minResolution = searchMinResolution();
        channelsLastSafe = blocks.stream().noneMatch(ResidualBlock::hasUnstridedPointwiseConvolution);
        channelsLast = channelsLastSafe && Boolean.parseBoolean(System.getProperty("fixres.channelsLast", "true"));
    }

    private int scaledWidth(int base) {
        int width = (int) Math.round(base * widthMultiplier);
        if (width < 1) {
            throw new IllegalArgumentException("width multiplier " + widthMultiplier
                    + " leaves a stage of base width " + base + " with no channels");
        }
        return width;
    }

    private static String stageName(int stage) {
        return "layer" + (stage + 1);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- forward

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        checkInputShape(input.getShape());
        // each intermediate is freed once the next layer has it (Intermediates); the hook's arrays are left to the batch's manager
        NDArray first = runsChannelsLast(training) ? ChannelsLast.of(input) : input;
        NDArray x = Intermediates.consumed(first, conv1.forward(parameterStore, new NDList(first), training).singletonOrThrow(), input);
        x = Intermediates.consumed(x, bn1.forward(parameterStore, new NDList(x), training).singletonOrThrow(), input);
        x = Intermediates.consumed(x, Activation.relu(x), input);
        SpatialGeometry pool = architecture.maxPool().orElse(null);
        if (pool != null) {
            x = Intermediates.consumed(x, Pool.maxPool2d(x, new Shape(pool.kernel(), pool.kernel()),
                    new Shape(pool.stride(), pool.stride()), new Shape(pool.padding(), pool.padding()), false), input);
        }
        for (ResidualBlock block : blocks.subList(0, blocks.size() - 1)) {
            x = Intermediates.consumed(x, block.forward(parameterStore, new NDList(x), training).singletonOrThrow(), input);
        }
        ActivationHook tap = hook;
        NDArray preReLU = Intermediates.consumed(x, lastBlock().preActivation(parameterStore, x, training), input);
        NDArray activated = Activation.relu(tap.preReLU(preReLU));
        // AdaptiveAvgPool2d(1) + flatten: (N, C, H, W) -> (N, C)
        NDArray pooled = tap.pooled(Intermediates.consumed(activated, Pool.globalAvgPool2d(activated), input));
        return fc.forward(parameterStore, new NDList(pooled), training);
    }

    /** Whether a forward in this mode runs channels-last (see {@link #setChannelsLast}). */
    boolean runsChannelsLast(boolean training) {
        return channelsLast && !(training && convolutionsTrainable());
    }

    private boolean convolutionsTrainable() {
        return conv1.weight().requiresGradient() || blocks.stream().anyMatch(ResidualBlock::convolutionsTrainable);
    }

    private void checkInputShape(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != inputChannels) {
            throw new IllegalArgumentException("expected an input of shape (N, " + inputChannels
                    + ", H, W) for " + architecture + ", got " + shape);
        }
        requireRunnable((int) Math.min(shape.get(2), shape.get(3)));
    }

    /** Throws if the network cannot run on an input side of {@code resolution} pixels at all. */
    private void requireRunnable(int resolution) {
        if (resolution < minResolution()) {
            throw new IllegalArgumentException("input resolution " + resolution + " px is below the minimum "
                    + minResolution() + " px of " + architecture);
        }
    }

    /**
     * Throws if a requested test or training resolution is too small to be meaningful for this
     * network (below {@link #minimumUsefulResolution()}); commands call this on user input.
     */
    @Override
    public void checkResolution(int resolution) {
        int min = minimumUsefulResolution();
        if (resolution < min) {
            throw new IllegalArgumentException("input resolution " + resolution + " px is below the minimum "
                    + min + " px of " + architecture + " (one cell of its final " + totalStride()
                    + "-pixel-stride feature map; accepted: " + min + "-" + MAX_RESOLUTION + " px)");
        }
        if (resolution > MAX_RESOLUTION) {
            throw new IllegalArgumentException("input resolution " + resolution + " px is above fixres's maximum "
                    + MAX_RESOLUTION + " px (accepted for " + architecture + ": " + min + "-" + MAX_RESOLUTION + " px)");
        }
    }

    /** Names the architecture and its stride in the message, e.g. "--test-res must be in [4, 4096] px for resnet-small (...)". */
    @Override
    public void checkResolution(String parameter, int resolution) {
        int min = minimumUsefulResolution();
        InvalidParameterException.require(resolution >= min && resolution <= MAX_RESOLUTION, parameter,
                "must be in [" + min + ", " + MAX_RESOLUTION + "] px for " + architecture + " (" + min + " px: one cell of"
                        + " its final " + totalStride() + "-pixel-stride feature map; " + MAX_RESOLUTION
                        + " px: fixres's limit)", resolution);
    }

    /**
     * The smallest input this tool accepts: one total stride, so the final feature map has at
     * least one cell that saw a full stride of pixels. Smaller inputs run but measure nothing.
     */
    @Override
    public int minimumUsefulResolution() {
        return Math.max(minResolution(), totalStride());
    }

    /**
     * Whether forwards run channels-last ({@link ChannelsLast}; default true, or the
     * {@code fixres.channelsLast} system property) when no convolution is trained: inference and
     * the FixRes fine-tuning (trunk frozen). A forward that trains a convolution stays NCHW: its
     * backward kernels are the ones {@code train.ConvolutionBackwardCheck} probes (docs/djl-notes.md).
     * Off, and refused, for networks with a stride-1 1x1 convolution (the Bottleneck ResNets):
     * libtorch 2.7.1's oneDNN dies with SIGFPE choosing the blocking of such a convolution in NHWC
     * on AVX-512 (resnet50's 256->1024 at 14x14 on this project's AMD EPYC); strided 1x1 and 3x3
     * convolutions are fine (docs/djl-notes.md).
     */
    public void setChannelsLast(boolean channelsLast) {
        if (channelsLast && !channelsLastSafe) {
            throw new IllegalArgumentException(architecture.id() + " has stride-1 1x1 convolutions, which libtorch's "
                    + "oneDNN cannot run channels-last on every CPU (SIGFPE); it runs NCHW");
        }
        this.channelsLast = channelsLast;
    }

    public boolean channelsLast() { return channelsLast; }

    /** Replaces the taps on the last block's pre-ReLU output and the pooled features (identity by default). */
    @Override
    public void setActivationHook(ActivationHook hook) {
        this.hook = Objects.requireNonNull(hook, "hook (use ActivationHook.IDENTITY for none)");
    }

    @Override
    public ActivationHook getActivationHook() { return hook; }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), numClasses)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        conv1.initialize(manager, dataType, shape);
        shape = conv1.getOutputShapes(new Shape[] {shape})[0];
        bn1.initialize(manager, dataType, shape);
        SpatialGeometry pool = architecture.maxPool().orElse(null);
        if (pool != null) {
            shape = new Shape(shape.get(0), shape.get(1),
                    pool.outputSize((int) shape.get(2)), pool.outputSize((int) shape.get(3)));
        }
        for (ResidualBlock block : blocks) {
            block.initialize(manager, dataType, shape);
            shape = block.getOutputShapes(new Shape[] {shape})[0];
        }
        fc.initialize(manager, dataType, new Shape(shape.get(0), featureDim()));
    }

    /** Initialises all parameters in {@code manager} for inputs of shape (1, C, r, r). */
    public void initialize(NDManager manager, int resolution) {
        requireRunnable(resolution);
        initialize(manager, DataType.FLOAT32, new Shape(1, inputChannels, resolution, resolution));
    }

    // ---------------------------------------------------------------- state dict

    /** conv1, bn1, layer1.0, ..., fc: torchvision's module registration order (relu/maxpool/avgpool hold no tensors). */
    @Override
    public LinkedHashMap<String, TorchModule> namedModules() {
        LinkedHashMap<String, TorchModule> modules = new LinkedHashMap<>();
        modules.put("conv1", conv1);
        modules.put("bn1", bn1);
        for (int s = 0; s < stages.size(); s++) {
            for (int i = 0; i < stages.get(s).size(); i++) {
                modules.put(stageName(s) + "." + i, stages.get(s).get(i));
            }
        }
        modules.put("fc", fc);
        return modules;
    }

    /**
     * All tensors keyed and ordered like torchvision's {@code state_dict()} ("conv1.weight",
     * "bn1.running_mean", "layer1.0.downsample.1.weight", ..., "fc.bias"), without the
     * {@code num_batches_tracked} counters, which nothing here uses.
     */
    public LinkedHashMap<String, Parameter> stateDict() {
        LinkedHashMap<String, Parameter> state = new LinkedHashMap<>();
        collectStateDict("", state);
        return state;
    }

    /** Every BatchNorm keyed by its torchvision module name ("bn1", "layer4.2.bn3", "layer2.0.downsample.1"). */
    public LinkedHashMap<String, BatchNorm2d> batchNorms() {
        LinkedHashMap<String, BatchNorm2d> norms = new LinkedHashMap<>();
        visit("", (name, module) -> {
            if (module instanceof BatchNorm2d bn) {
                norms.put(name, bn);
            }
        });
        return norms;
    }

    /** The BN closing the last residual branch, the one FixRes fine-tunes (ResNet-50: "layer4.2.bn3"). */
    public String lastBatchNormName() {
        int lastStage = stages.size() - 1;
        return stageName(lastStage) + "." + (stages.get(lastStage).size() - 1) + "." + lastBlock().lastBatchNormName();
    }

    @Override
    public BatchNorm2d lastBatchNorm() {
        return lastBlock().lastBatchNorm();
    }

    /** fc.weight and fc.bias, the parameters the FixRes step trains. */
    @Override
    public List<Parameter> classifierParameters() {
        return List.of(fc.weight(), fc.bias());
    }

    public void setAllBatchNormModes(BatchNormMode mode) {
        batchNorms().values().forEach(bn -> bn.setMode(mode));
    }

    @Override
    public List<SwitchableBatchNorm> allBatchNorms() {
        return List.copyOf(batchNorms().values());
    }

    @Override
    public LinearLayer classifier() {
        return fc;
    }

    @Override
    public ResNet block() {
        return this;
    }

    /**
     * Replaces every tensor with the given values (copied into {@code manager}), checking that
     * the keys are exactly {@link #stateDict()}'s (torchvision's {@code num_batches_tracked}
     * entries are ignored) and that every shape matches. Do this before creating a trainer:
     * a trainer's parameter store keeps the arrays it saw first.
     *
     * @param source names where the tensors come from, for error messages
     * @throws IllegalArgumentException naming the key and both shapes on any mismatch
     */
    public void loadStateDict(NDManager manager, Map<String, NDArray> tensors, String source) {
        LinkedHashMap<String, Parameter> state = stateDict();
        Set<String> missing = new TreeSet<>(state.keySet());
        missing.removeAll(tensors.keySet());
        Set<String> unexpected = new TreeSet<>(tensors.keySet());
        unexpected.removeAll(state.keySet());
        unexpected.removeIf(key -> key.endsWith("num_batches_tracked"));
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException(source + " does not match " + this.describeShort()
                    + (missing.isEmpty() ? "" : "; missing tensors " + abbreviate(missing))
                    + (unexpected.isEmpty() ? "" : "; unexpected tensors " + abbreviate(unexpected)));
        }
        List<String> wrongShapes = new ArrayList<>();
        state.forEach((key, parameter) -> {
            Shape found = tensors.get(key).getShape();
            if (!found.equals(parameter.getShape())) {
                wrongShapes.add("tensor '" + key + "' has shape " + found + (wrongShapes.isEmpty()
                        ? " but " + describeShort() + " expects " : ", expected ") + parameter.getShape());
            }
        });
        if (!wrongShapes.isEmpty()) {
            int shown = 8;
            throw new IllegalArgumentException(source + ": " + String.join("; ", wrongShapes.subList(0,
                    Math.min(shown, wrongShapes.size())))
                    + (wrongShapes.size() > shown ? "; ... (" + wrongShapes.size() + " wrong shapes in all)" : ""));
        }
        // A NaN weight makes NaN logits, which no accuracy count sees as wrong: refuse it here, where
        // weights enter, naming the tensor (checked in state-dict order, before anything is copied).
        Map<String, NDArray> inState = new LinkedHashMap<>();
        state.keySet().forEach(key -> inState.put(key, tensors.get(key)));
        FiniteTensors.firstNonFinite(inState).ifPresent(key -> {
            throw new IllegalArgumentException(source + ": tensor '" + key + "' holds NaN or infinite values;"
                    + " the weights are unusable (was the run that wrote them diverging?)");
        });
        Map<Parameter, Initializer> originalInitializers = new HashMap<>();
        state.forEach((key, parameter) -> {
            NDArray value = ownFloatCopy(tensors.get(key));
            value.attach(manager);
            originalInitializers.put(parameter, parameter.getInitializer());
            parameter.close();
            parameter.setInitializer((m, shape, type) -> value);
        });
        try {
            initialize(manager, DataType.FLOAT32,
                    inputShapes != null ? inputShapes : new Shape[] {new Shape(1, inputChannels, minResolution(), minResolution())});
        } finally {
            originalInitializers.forEach(Parameter::setInitializer);
        }
    }

    private static String abbreviate(Set<String> keys) {
        int shown = 8;
        if (keys.size() <= shown) {
            return keys.toString();
        }
        return "[" + String.join(", ", new ArrayList<>(keys).subList(0, shown)) + ", ... (" + keys.size() + " in all)]";
    }

    /**
     * A float32 array with its own storage. toType(FLOAT32, copy=true) is not enough: the PyTorch
     * engine calls Tensor.to(), which returns the same storage when the type already matches, and
     * the caller may free that storage (closing the manager it decoded the file into).
     */
    private static NDArray ownFloatCopy(NDArray source) {
        return source.getDataType() == DataType.FLOAT32 ? source.duplicate() : source.toType(DataType.FLOAT32, false);
    }

    // ---------------------------------------------------------------- geometry and description

    /** Product of the strides on the main path: stem, max-pool and every stage. */
    public int totalStride() {
        int stride = architecture.stem().stride() * architecture.maxPool().map(SpatialGeometry::stride).orElse(1);
        for (ResidualBlock block : blocks) {
            stride *= block.stride();
        }
        return stride;
    }

    /**
     * Side of the last feature map for a square input of side {@code inputResolution}, applying
     * floor((n + 2p - k) / s) + 1 along the main path (stem conv, max-pool, every block conv).
     */
    public int featureMapSize(int inputResolution) {
        requireRunnable(inputResolution);
        List<Integer> sizes = mapSizes(inputResolution);
        return sizes.get(sizes.size() - 1);
    }

    /**
     * Sides after conv1, [maxpool], and each stage; an entry below 1 means the input was too small.
     */
    private List<Integer> mapSizes(int inputResolution) {
        List<Integer> sizes = new ArrayList<>();
        int n = architecture.stem().outputSize(inputResolution);
        sizes.add(n);
        if (architecture.maxPool().isPresent()) {
            n = n < 1 ? n : architecture.maxPool().get().outputSize(n);
            sizes.add(n);
        }
        for (List<ResidualBlock> stage : stages) {
            for (ResidualBlock block : stage) {
                n = n < 1 ? n : block.outputSize(n);
            }
            sizes.add(n);
        }
        return sizes;
    }

    /**
     * The smallest input side whose final feature map is at least 1x1. With torchvision's
     * paddings (p = k / 2 for every window) each layer maps n >= 1 to ceil(n / s) >= 1, so this
     * is 1 for every architecture here: small inputs are legal, just uninformative below
     * {@link #totalStride()}.
     */
    public int minResolution() {
        return minResolution;
    }

    private int searchMinResolution() {
        for (int r = 1; r <= MAX_RESOLUTION_SEARCH; r++) {
            List<Integer> sizes = mapSizes(r);
            if (sizes.get(sizes.size() - 1) >= 1) {
                return r;
            }
        }
        throw new IllegalStateException(architecture + " gives no feature map below " + MAX_RESOLUTION_SEARCH + " px");
    }

    /**
     * Multiply-accumulates of one forward pass at a square input of side {@code inputResolution}:
     * every convolution and the classifier (BN, ReLU, pooling and the residual adds are a few
     * percent more and are left out, as torchvision's GFLOPS column does: resnet50 at 224 = 4.09e9).
     */
    public long multiplyAdds(int inputResolution) {
        requireRunnable(inputResolution);
        long macs = conv1.multiplyAdds(inputResolution);
        int n = architecture.stem().outputSize(inputResolution);
        if (architecture.maxPool().isPresent()) {
            n = architecture.maxPool().get().outputSize(n);
        }
        for (ResidualBlock block : blocks) {
            macs += block.multiplyAdds(n);
            n = block.outputSize(n);
        }
        return macs + (long) featureDim() * numClasses;
    }

    /** Floating-point operations of one forward pass: 2 x {@link #multiplyAdds(int)}. */
    public double forwardFlops(int inputResolution) {
        return 2.0 * multiplyAdds(inputResolution);
    }

    /** Output channels of the stem convolution {@code conv1}. */
    public int stemWidth() {
        return conv1.outChannels();
    }

    /** Planes of stage {@code s} (before the block expansion), after the width multiplier. */
    public int stageWidth(int s) {
        return scaledWidth(architecture.baseWidth(s));
    }

    /** Channels of the pooled features fed to fc. */
    public int featureDim() {
        return lastBlock().outChannels();
    }

    public String architecture() { return architecture.id(); }

    public Architecture architectureSpec() { return architecture; }

    @Override
    public int numClasses() { return numClasses; }

    @Override
    public int inputChannels() { return inputChannels; }

    public double widthMultiplier() { return widthMultiplier; }

    /** Trainable tensors' element count (weights, biases, BN gamma/beta; running statistics excluded), as torchvision counts. */
    public long parameterCount() {
        return stateDict().values().stream()
                .filter(p -> p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR)
                .mapToLong(p -> p.getShape().size())
                .sum();
    }

    private String describeShort() {
        return String.format(Locale.ROOT, "%s (%d classes, %d input channels, width x%s)",
                architecture, numClasses, inputChannels, widthMultiplier);
    }

    /**
     * One line per layer with its output shape for a square input of side {@code inputResolution},
     * then the total stride, the parameter count and the last BatchNorm's name.
     */
    public String describe(int inputResolution) {
        requireRunnable(inputResolution);
        List<Integer> sizes = mapSizes(inputResolution);
        StringBuilder out = new StringBuilder();
        String row = "%-8s %-18s %s%n";
        out.append(describeShort()).append(String.format(Locale.ROOT, "%n"));
        out.append(String.format(Locale.ROOT, row, "layer", "output (C x H x W)", "operation"));
        out.append(String.format(Locale.ROOT, row, "input", chw(inputChannels, inputResolution), ""));
        int k = 0;
        out.append(String.format(Locale.ROOT, row, "conv1", chw(conv1.outChannels(), sizes.get(k++)),
                "conv " + architecture.stem().label() + ", bn1, relu"));
        if (architecture.maxPool().isPresent()) {
            out.append(String.format(Locale.ROOT, row, "maxpool", chw(conv1.outChannels(), sizes.get(k++)),
                    "max-pool " + architecture.maxPool().get().label()));
        }
        for (int s = 0; s < stages.size(); s++) {
            List<ResidualBlock> stage = stages.get(s);
            out.append(String.format(Locale.ROOT, row, stageName(s),
                    chw(stage.get(stage.size() - 1).outChannels(), sizes.get(k++)),
                    String.format(Locale.ROOT, "%d x %s block, stride %d", stage.size(),
                            architecture.blockKind().name().toLowerCase(Locale.ROOT), stage.get(0).stride())));
        }
        out.append(String.format(Locale.ROOT, row, "avgpool", Integer.toString(featureDim()), "global average pool"));
        out.append(String.format(Locale.ROOT, row, "fc", Integer.toString(numClasses), "linear"));
        out.append(String.format(Locale.ROOT, "total stride %d, final map %dx%d at %d px, minimum input %d px%n",
                totalStride(), sizes.get(k - 1), sizes.get(k - 1), inputResolution, minimumUsefulResolution()));
        out.append(String.format(Locale.ROOT, "parameters %,d (trainable; BN running statistics excluded)%n",
                parameterCount()));
        out.append(String.format(Locale.ROOT, "compute %.4g GMAC = %.4g GFLOP per image at %d px (conv + fc; forward)%n",
                multiplyAdds(inputResolution) / 1e9, forwardFlops(inputResolution) / 1e9, inputResolution));
        out.append("last BatchNorm ").append(lastBatchNormName()).append(String.format(Locale.ROOT, "%n"));
        return out.toString();
    }

    private static String chw(int channels, int side) {
        return channels + " x " + side + " x " + side;
    }

    private ResidualBlock lastBlock() {
        return blocks.get(blocks.size() - 1);
    }

    /** Builds a {@link ResNet}; defaults: resnet50, 1000 classes, 3 input channels, width x1, no zero-init. */
    public static final class Builder {
        private Architecture architecture = Architecture.RESNET50;
        private int numClasses = 1000;
        private int inputChannels = 3;
        private double widthMultiplier = 1.0;
        private boolean zeroInitResidual;

        private Builder() {}

        /** By id: resnet18, resnet34, resnet50, resnet101, resnet-small. */
        public Builder architecture(String id) {
            this.architecture = Architecture.fromId(id);
            return this;
        }

        public Builder architecture(Architecture architecture) {
            this.architecture = Objects.requireNonNull(architecture, "architecture");
            return this;
        }

        public Builder numClasses(int numClasses) {
            InvalidParameterException.require(numClasses >= 1, "number of classes", "must be >= 1", numClasses);
            this.numClasses = numClasses;
            return this;
        }

        public Builder inputChannels(int inputChannels) {
            InvalidParameterException.require(inputChannels >= 1, "input channels", "must be >= 1", inputChannels);
            this.inputChannels = inputChannels;
            return this;
        }

        /** Scales every stage width (rounded to the nearest integer). */
        public Builder widthMultiplier(double widthMultiplier) {
            InvalidParameterException.require(widthMultiplier > 0 && !Double.isInfinite(widthMultiplier),
                    "width multiplier", "must be a positive number", widthMultiplier);
            this.widthMultiplier = widthMultiplier;
            return this;
        }

        /** torchvision's zero_init_residual: the last BN gamma of every block starts at 0. */
        public Builder zeroInitResidual(boolean zeroInitResidual) {
            this.zeroInitResidual = zeroInitResidual;
            return this;
        }

        public ResNet build() {
            return new ResNet(this);
        }
    }
}
