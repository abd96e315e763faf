package io.fixres.fix;

import ai.djl.ndarray.NDManager;
import io.fixres.core.LastBatchNormMode;
import io.fixres.data.DecodedImageCache;
import io.fixres.data.ImageDataset;
import io.fixres.data.Subsets;
import io.fixres.eval.Accuracy;
import io.fixres.eval.MultiResolutionEvaluation;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.io.InvalidParameterException;
import io.fixres.model.Checkpoint;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import io.fixres.model.StateDictFile;
import io.fixres.model.WeightImport;
import io.fixres.stats.ApparentObjectSize;
import io.fixres.stats.PairedBootstrap;
import io.fixres.study.ResolutionSuggestion;
import io.fixres.train.LastBatchNormFineTuner;
import io.fixres.train.OnePassFineTuner;
import io.fixres.train.Recalibration;
import io.fixres.train.RunDirectory;
import io.fixres.train.SgdConfig;
import io.fixres.train.TrainingProgress;
import io.fixres.transform.TrainAugmentation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The user's question in one call: at which test resolution should my classifier run, and fix it
 * for that resolution. Predicts K* from the card (apparent object size, paper section 3), probes
 * top-1 on seeded held-out labelled images at the training resolution and stride-aligned
 * resolutions around K* ({@link ResolutionProbe}; every probe round decodes each image once for all
 * its resolutions, and held-out images that fit in memory are decoded once for the whole probe),
 * fixes the network at the best one (the one-pass FixRes fine-tuning of the classifier and the last
 * BatchNorm, or the label-free recalibration of the last BatchNorm), measures before and after on
 * the same images with paired bootstrap intervals, times inference at every probed resolution, and
 * writes the fixed checkpoint with its report.
 *
 * <pre>{@code
 * DataSplits data = DatasetResolver.standard().resolve("fashion-mnist");
 * FixReport report = ResolutionFix.ofCheckpoint(Path.of("runs/rrc24"))
 *         .fineTuningImages(data.train()).heldOutImages(data.test())
 *         .run(Path.of("runs/rrc24-fixed"));
 * }</pre>
 */
public final class ResolutionFix {
    public static final int DEFAULT_PROBE = 6;
    public static final int DEFAULT_HELD_OUT = 5_000;
    public static final int DEFAULT_BATCH_SIZE = 256;
    public static final String REPORT_JSON = "fix.json";

    private final Path checkpoint;
    private final Path weights;
    private final String architecture;
    private final Integer importTrainRes;
    private ImageDataset fineTuningImages;
    private ImageDataset heldOutImages;
    private boolean labelFree;
    private Double budgetMillis;
    private int probe = DEFAULT_PROBE;
    private int heldOut = DEFAULT_HELD_OUT;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private long seed;
    private int threads = Runtime.getRuntime().availableProcessors();
    private Path export;
    private boolean overwrite;
    private TrainingProgress progress = TrainingProgress.NONE;
    private Consumer<String> log = line -> { };
    /** Tests replace the clock of the budget scan with a known latency per resolution. */
    private java.util.function.IntToDoubleFunction budgetLatency;

    private ResolutionFix(Path checkpoint, Path weights, String architecture, Integer importTrainRes) {
        this.checkpoint = checkpoint;
        this.weights = weights;
        this.architecture = architecture;
        this.importTrainRes = importTrainRes;
    }

    /** Fixes the fixres checkpoint in {@code dir} (model.params + model.json). */
    public static ResolutionFix ofCheckpoint(Path dir) {
        return new ResolutionFix(Objects.requireNonNull(dir, "checkpoint"), null, null, null);
    }

    /**
     * Fixes torchvision/timm weights ({@link WeightImport}: .safetensors or .npz state dict) of
     * {@code architecture}, trained at {@code trainRes} ({@code null}: 224, the ecosystem's).
     */
    public static ResolutionFix ofWeights(Path file, String architecture, Integer trainRes) {
        return new ResolutionFix(null, Objects.requireNonNull(file, "weights"),
                Objects.requireNonNull(architecture, "architecture"), trainRes);
    }

    /** Images the fix adapts on: labelled for the fine-tuning, or any (labels unread) for recalibration. */
    public ResolutionFix fineTuningImages(ImageDataset images) { this.fineTuningImages = images; return this; }

    /**
     * Labelled images kept out of the fix to probe and measure on (a seeded subset of
     * {@link #heldOut} of them); {@code null}: hold out part of the fine-tuning images when they
     * are labelled, else probe nothing and use the prediction alone.
     */
    public ResolutionFix heldOutImages(ImageDataset images) { this.heldOutImages = images; return this; }

    /** Recalibrate the last BatchNorm (labels never read) instead of fine-tuning the classifier. */
    public ResolutionFix labelFree(boolean labelFree) { this.labelFree = labelFree; return this; }

    /** Only resolutions whose inference takes at most this many milliseconds per image at batch 1 may be chosen. */
    public ResolutionFix budgetMillis(Double millis) { this.budgetMillis = millis; return this; }

    /** At most this many resolutions are probed, the training resolution included (default {@value #DEFAULT_PROBE}). */
    public ResolutionFix probe(int evaluations) { this.probe = evaluations; return this; }

    /** Held-out images measured (a seeded subset; default {@value #DEFAULT_HELD_OUT}). */
    public ResolutionFix heldOut(int images) { this.heldOut = images; return this; }

    /** Batch size of the evaluations, the passes of the fix and the batched latency (default {@value #DEFAULT_BATCH_SIZE}). */
    public ResolutionFix batchSize(int batchSize) { this.batchSize = batchSize; return this; }

    public ResolutionFix seed(long seed) { this.seed = seed; return this; }

    public ResolutionFix threads(int threads) { this.threads = threads; return this; }

    /** Also write the fixed weights as a safetensors state dict with torchvision key names. */
    public ResolutionFix exportTo(Path file) { this.export = file; return this; }

    /** Replace an existing checkpoint in the output directory (and an existing export file). */
    public ResolutionFix overwrite(boolean overwrite) { this.overwrite = overwrite; return this; }

    public ResolutionFix progress(TrainingProgress progress) { this.progress = Objects.requireNonNull(progress); return this; }

    /** Receives one line per step (prediction, each probe round, the choice, the fix, the outputs). */
    public ResolutionFix log(Consumer<String> log) { this.log = Objects.requireNonNull(log); return this; }

    /** Uses {@code millisAt} as the batch-1 latency of each resolution when applying the budget (tests). */
    ResolutionFix budgetLatency(java.util.function.IntToDoubleFunction millisAt) {
        this.budgetLatency = millisAt;
        return this;
    }

    /**
     * Checks everything that can be checked before loading anything (settings, output directory,
     * export file; the images when already given) and throws naming the parameter.
     */
    public void validate(Path out) {
        InvalidParameterException.require(probe >= 2, "probe evaluations",
                "must be >= 2 (the training resolution and at least one candidate)", probe);
        InvalidParameterException.require(heldOut >= 1, "held-out images", "must be >= 1", heldOut);
        InvalidParameterException.require(batchSize >= 1, "batch size", "must be >= 1", batchSize);
        InvalidParameterException.require(threads >= 1, "threads", "must be >= 1", threads);
        InvalidParameterException.require(budgetMillis == null || budgetMillis > 0 && Double.isFinite(budgetMillis),
                "latency budget", "must be a positive number of milliseconds", budgetMillis);
        if (heldOutImages != null && heldOutImages.classNames().isEmpty()) {
            throw new IllegalArgumentException("held-out images " + heldOutImages.source()
                    + " have no labels: probing measures top-1, so they must be labelled (one folder per class)");
        }
        RunDirectory.checkWritable(out, overwrite);
        if (export != null) {
            if (!export.getFileName().toString().endsWith(".safetensors")) {
                throw new InvalidParameterException("export file", "must end in .safetensors (the format written)", export);
            }
            if (Files.exists(export) && !overwrite) {
                throw new InvalidParameterException("export file", "already exists and overwriting was not allowed", export);
            }
        }
    }

    /** Runs the whole fix and writes {@code out}: model.params, model.json, fix.json, fix.md, fix.html, the figure. */
    public FixReport run(Path out) throws IOException {
        validate(out);
        if (fineTuningImages == null) {
            throw new IllegalArgumentException("no images to fix on: give the fine-tuning images");
        }
        long start = System.nanoTime();
        boolean fineTuningLabelled = !fineTuningImages.classNames().isEmpty();
        ImageDataset tuneOn = fineTuningImages;
        ImageDataset measureOn = null;
        if (heldOutImages != null) {
            // seed + 1: the subset `--limit-test N` of the other commands draws, so their results compare
            measureOn = Subsets.limit(heldOutImages, heldOut, seed + 1);
        } else if (fineTuningLabelled) {
            // no separate labelled split: keep a seeded part of the training images out of the fix
            Subsets.Split split = Subsets.split(fineTuningImages, Math.min(heldOut, fineTuningImages.size() / 5), seed);
            measureOn = split.heldOut();
            tuneOn = split.rest();
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Loaded loaded = load(manager);
            ResNet net = loaded.net();
            ModelCard card = loaded.card();
            checkImages(net, tuneOn, "fine-tuning images");
            if (measureOn != null) {
                checkImages(net, measureOn, "held-out images");
            }
            int trainRes = card.getTrainResolution();
            int stride = net.totalStride();
            FixReport.Prediction predicted = predict(card, stride);
            log.accept(String.format(Locale.ROOT, "%s %s trained at %d px (%s), total stride %d: %s predicts %.1f px, "
                            + "stride-aligned %d px", loaded.source(), card.getArchitecture(), trainRes,
                    augmentationOf(card), stride, predicted.basis(), predicted.equalisingTestRes(),
                    predicted.alignedTestRes()));
            Map<Integer, Double> singleImageMillis = new TreeMap<>();
            int maximum = budgetMillis == null ? Integer.MAX_VALUE
                    : budgetCeiling(net, manager, singleImageMillis, Math.max(trainRes, predicted.alignedTestRes()));
            ResolutionProbe plan = new ResolutionProbe(trainRes, predicted.alignedTestRes(), stride,
                    net.minimumUsefulResolution(), maximum, probe);
            predicted = new FixReport.Prediction(predicted.equalisingTestRes(), plan.prediction(), predicted.basis());

            MultiResolutionEvaluation evaluation = new MultiResolutionEvaluation(net, card, manager, batchSize, threads);
            DecodedImageCache cached = measureOn == null ? null
                    : new DecodedImageCache(measureOn, Runtime.getRuntime().maxMemory() / 4);
            Map<Integer, Accuracy> before = new TreeMap<>();
            Map<Integer, Integer> roundOf = new TreeMap<>();
            int chosen;
            FixReport.ChosenBy chosenBy;
            if (cached != null) {
                List<Integer> round = plan.firstRound();
                for (int r = 1; !round.isEmpty(); r++) {
                    log.accept("probe round " + r + ": " + pixels(round) + " on " + cached.size() + " held-out images");
                    before.putAll(measure(evaluation, cached, round, card, "probe round " + r));
                    for (int k : round) {
                        roundOf.put(k, r);
                    }
                    round = plan.nextRound(top1(before));
                }
                chosen = plan.best(top1(before));
                chosenBy = FixReport.ChosenBy.MEASURED;
            } else {
                chosen = plan.prediction();
                chosenBy = FixReport.ChosenBy.PREDICTION;
                log.accept("no labelled images to probe on: using the prediction alone, " + chosen + " px");
            }

            // the fix
            boolean recalibrate = labelFree || !fineTuningLabelled;
            String method;
            LastBatchNormFineTuner.Request request = null;
            ResolutionAccuracy beforeChosen = accuracyAt(before, chosen);
            if (recalibrate) {
                method = "recalibrate-last";
                log.accept(String.format(Locale.ROOT, "fix at %d px: recalibrating the last BatchNorm on %d images "
                        + "(labels never read)%s", chosen, tuneOn.size(), labelFree ? "" : ": the fix images have no labels"));
                Recalibration.run(net, manager, card, tuneOn, chosen, Recalibration.Layers.LAST, batchSize, threads,
                        progress);
            } else {
                method = ModelCard.FineTuningMethod.CACHED.id();
                log.accept(String.format(Locale.ROOT, "fix at %d px: one-pass FixRes fine-tuning (last BatchNorm "
                        + "statistics + classifier) on %d images", chosen, tuneOn.size()));
                SgdConfig d = LastBatchNormFineTuner.defaultSgd(seed, threads); // finetune --method cached's defaults
                SgdConfig sgd = new SgdConfig(OnePassFineTuner.DEFAULT_CLASSIFIER_EPOCHS, d.batchSize(), d.learningRate(),
                        d.momentum(), d.weightDecay(), d.schedule(), d.seed(), d.loaderThreads());
                request = new LastBatchNormFineTuner.Request(chosen, LastBatchNormMode.STATS,
                        LastBatchNormFineTuner.FineTuneAugmentation.TEST, sgd);
                // half the heap lets the statistics pass keep what the features need: no second pass over the images
                OnePassFineTuner.fineTune(net, manager, card, tuneOn, request, new OnePassFineTuner.Options(0, false,
                        Runtime.getRuntime().maxMemory() / 2, out.resolve("features.tmp")), progress);
            }

            Map<Integer, Accuracy> after = cached == null ? Map.of()
                    : measure(evaluation, cached, List.of(trainRes, chosen), card, "after the fix");
            ModelCard fixedCard = recalibrate
                    ? LastBatchNormFineTuner.withFineTuning(card, new ModelCard.FineTuning(chosen,
                            LastBatchNormMode.STATS.id(), LastBatchNormFineTuner.FineTuneAugmentation.TEST.id(), 0, 0,
                            beforeChosen == null ? null : beforeChosen.top1(),
                            after.containsKey(chosen) ? after.get(chosen).top1() : null,
                            ModelCard.FineTuningMethod.RECALIBRATE, Recalibration.Layers.LAST.id(), (long) tuneOn.size()),
                            chosen)
                    : LastBatchNormFineTuner.fineTunedCard(card, request, ModelCard.FineTuningMethod.CACHED, beforeChosen,
                            accuracyAt(after, chosen));
            FixReport.Gain gainAtChosen = null;
            FixReport.Gain gainOverTrain = null;
            if (cached != null) {
                PairedBootstrap bootstrap = new PairedBootstrap(PairedBootstrap.DEFAULT_RESAMPLES, seed);
                gainAtChosen = FixReport.Gain.of(bootstrap.difference(before.get(chosen).outcomes().toArray(),
                        after.get(chosen).outcomes().toArray()));
                gainOverTrain = FixReport.Gain.of(bootstrap.difference(before.get(trainRes).outcomes().toArray(),
                        after.get(chosen).outcomes().toArray()));
            }

            TreeSet<Integer> timed = new TreeSet<>(before.keySet());
            timed.add(trainRes);
            timed.add(chosen);
            log.accept("latency per image at " + pixels(List.copyOf(timed)) + " (batch 1 and batch " + batchSize + ")");
            List<InferenceLatency> latency = new ArrayList<>();
            if (singleImageMillis.isEmpty()) { // untimed: the engine's first calls at batch 1 set up kernels
                InferenceLatency.singleImageMillis(net, manager, timed.first());
            }
            for (int k : timed) {
                latency.add(InferenceLatency.measure(net, manager, k, batchSize, singleImageMillis.get(k)));
            }
            Map<Integer, InferenceLatency> latencyOf = latency.stream()
                    .collect(Collectors.toMap(InferenceLatency::resolution, l -> l));
            List<FixReport.Probe> probes = new ArrayList<>();
            before.forEach((k, a) -> probes.add(new FixReport.Probe(k, roundOf.get(k), a.top1(), a.top5(), a.images(),
                    latencyOf.get(k).batch1Millis(), latencyOf.get(k).perImageInBatchMillis(),
                    budgetMillis == null ? null : latencyOf.get(k).batch1Millis() <= budgetMillis)));

            Checkpoint.save(out, net, fixedCard);
            if (export != null) {
                StateDictFile.writeSafetensors(net, export);
            }
            FixReport report = new FixReport(loaded.source(), out.toString(), card.getArchitecture(), trainRes, stride,
                    predicted, images(tuneOn), measureOn == null ? null : images(measureOn),
                    cached == null ? null : cached.decodes(), labelFree, method, probe, budgetMillis, probes, chosen,
                    chosenBy, accuracyAt(before, trainRes), beforeChosen, accuracyAt(after, trainRes),
                    accuracyAt(after, chosen), gainAtChosen, gainOverTrain, latency, null,
                    export == null ? null : export.toString(), (System.nanoTime() - start) / 1e9);
            report = report.withDecision(FixDecision.explain(report, maximum));
            FixReportPages.write(out, report);
            return report;
        }
    }

    private record Loaded(ResNet net, ModelCard card, String source) {}

    private Loaded load(NDManager manager) throws IOException {
        if (checkpoint != null) {
            Checkpoint.LoadedModel loaded = Checkpoint.load(checkpoint, manager);
            return new Loaded(loaded.net(), loaded.card(), checkpoint.toString());
        }
        WeightImport.Builder builder = WeightImport.builder(weights).architecture(architecture);
        if (importTrainRes != null) {
            builder.trainResolution(importTrainRes);
        }
        WeightImport.Imported imported = builder.build().run(manager);
        imported.notes().forEach(note -> log.accept("import: " + note));
        return new Loaded(imported.net(), imported.card(), weights.toString());
    }

    /** The images must have the network's channels, and labelled images its classes. */
    private static void checkImages(ResNet net, ImageDataset images, String what) {
        if (images.channels() != net.inputChannels()) {
            throw new IllegalArgumentException(what + " " + images.source() + " have " + images.channels()
                    + " channel(s) but the network takes " + net.inputChannels());
        }
        if (!images.classNames().isEmpty() && images.numClasses() != net.numClasses()) {
            throw new IllegalArgumentException(what + " " + images.source() + " have " + images.numClasses()
                    + " classes but the network's classifier has " + net.numClasses());
        }
    }

    /** K* from the card: RandomResizedCrop (or unknown, as for imported weights) by section 3, resize-crop by supplement D. */
    static FixReport.Prediction predict(ModelCard card, int stride) {
        int trainRes = card.getTrainResolution();
        double crop = card.getTestCropRatio();
        if (card.getTrainAugmentation() == TrainAugmentation.RESIZE_CROP) {
            double k = ApparentObjectSize.equalisingTestResolutionResizeCrop(trainRes, crop);
            return new FixReport.Prediction(k, ApparentObjectSize.nearestStrideAligned(k, stride),
                    "resize + random crop training, equal apparent size (supplement D)");
        }
        ResolutionSuggestion s = ResolutionSuggestion.of(trainRes, ApparentObjectSize.DEFAULT_SCALE_MIN,
                ApparentObjectSize.DEFAULT_SCALE_MAX, 3.0 / 4, 4.0 / 3, crop, stride);
        return new FixReport.Prediction(s.equalisingTestRes(), s.alignedTestRes(),
                (card.getTrainAugmentation() == null ? "RandomResizedCrop assumed (imported weights), " : "RandomResizedCrop "
                        + "training, ") + "equal apparent object size (paper section 3)");
    }

    private static String augmentationOf(ModelCard card) {
        return card.getTrainAugmentation() == null ? TrainAugmentation.IMPORTED : card.getTrainAugmentation().id();
    }

    /**
     * The largest stride-aligned resolution whose batch-1 latency fits the budget, scanning upward
     * from the smallest useful one (latency grows with resolution) up to where the probe could reach;
     * {@link Integer#MAX_VALUE} when all of them fit.
     */
    private int budgetCeiling(ResNet net, NDManager manager, Map<Integer, Double> singleImageMillis, int around) {
        int stride = net.totalStride();
        int lowest = stride * Math.max(1, -Math.floorDiv(-net.minimumUsefulResolution(), stride));
        int reach = around + (probe + 1) * stride;
        if (budgetLatency == null) { // untimed: the engine's first calls at batch 1 set up kernels
            InferenceLatency.singleImageMillis(net, manager, lowest);
        }
        for (int k = lowest; k <= reach; k += stride) {
            double millis = budgetLatency != null ? budgetLatency.applyAsDouble(k)
                    : InferenceLatency.singleImageMillis(net, manager, k);
            singleImageMillis.put(k, millis);
            if (millis > budgetMillis) {
                if (k == lowest) {
                    throw new InvalidParameterException("latency budget", String.format(Locale.ROOT,
                            "cannot be met: even %d px, the smallest useful resolution, takes %.3f ms per image at "
                                    + "batch 1 on this machine", k, millis), budgetMillis);
                }
                log.accept(String.format(Locale.ROOT, "latency budget %.3f ms: %d px takes %.3f ms per image, so "
                        + "resolutions above %d px are excluded", budgetMillis, k, millis, k - stride));
                return k - stride;
            }
        }
        return Integer.MAX_VALUE;
    }

    private Map<Integer, Accuracy> measure(MultiResolutionEvaluation evaluation, ImageDataset images,
                                           List<Integer> resolutions, ModelCard card, String pass) {
        progress.passStarted(pass + " (" + pixels(resolutions) + ")", images.size());
        try {
            return new LinkedHashMap<>(evaluation.evaluate(images, resolutions, card.getTestCropRatio(),
                    progress::imagesDone));
        } finally {
            progress.passDone();
        }
    }

    private static Map<Integer, Double> top1(Map<Integer, Accuracy> accuracies) {
        Map<Integer, Double> out = new TreeMap<>();
        accuracies.forEach((k, a) -> out.put(k, a.top1()));
        return out;
    }

    private static ResolutionAccuracy accuracyAt(Map<Integer, Accuracy> accuracies, int k) {
        Accuracy a = accuracies.get(k);
        return a == null ? null : ResolutionAccuracy.of(k, a);
    }

    private static FixReport.FixImages images(ImageDataset images) {
        return new FixReport.FixImages(images.source(), images.size(), !images.classNames().isEmpty());
    }

    static String pixels(List<Integer> resolutions) {
        return resolutions.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " px";
    }
}
