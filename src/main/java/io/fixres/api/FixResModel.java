package io.fixres.api;

import ai.djl.ndarray.NDManager;
import io.fixres.core.LastBatchNormMode;
import io.fixres.data.DataSplits;
import io.fixres.data.ImageDataset;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.eval.ResolutionEvaluation;
import io.fixres.model.Checkpoint;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import io.fixres.train.LastBatchNormFineTuner;
import io.fixres.train.LastBatchNormFineTuner.FineTuneAugmentation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A fixres checkpoint and the engine resources it lives in, for Java users who do not want the
 * command line: load it, measure it at many test resolutions, fine-tune it at one (the FixRes step,
 * with the published defaults or a {@link LastBatchNormFineTuner.Request} of your own), save it.
 * It owns its native memory: use it in try-with-resources.
 *
 * <pre>{@code
 * DataSplits data = DatasetResolver.standard().resolve("fashion-mnist");
 * try (FixResModel model = FixResModel.load(Path.of("runs/rrc24"))) {
 *     List<ResolutionAccuracy> before = model.evaluate(data.test(), List.of(24, 28, 32));
 *     int best = ResolutionEvaluation.best(before).testResolution();
 *     LastBatchNormFineTuner.Result fixed = model.fineTune(data, best);
 *     model.save(Path.of("runs/rrc24-fixres"));
 * }
 * }</pre>
 */
public final class FixResModel implements AutoCloseable {
    /** Batch size of the evaluations (inference only: larger batches are cheaper per image). */
    public static final int EVALUATION_BATCH_SIZE = 256;

    private final NDManager manager;
    private final ResNet net;
    private ModelCard card;
    private final int threads;

    private FixResModel(NDManager manager, ResNet net, ModelCard card, int threads) {
        this.manager = manager;
        this.net = net;
        this.card = card;
        this.threads = threads;
    }

    /** Loads {@code model.params} + {@code model.json} from {@code dir} (the card is checked against the weights). */
    public static FixResModel load(Path dir) throws IOException {
        NDManager manager = NDManager.newBaseManager();
        try {
            Checkpoint.LoadedModel loaded = Checkpoint.load(dir, manager);
            return new FixResModel(manager, loaded.net(), loaded.card(), Runtime.getRuntime().availableProcessors());
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The card: how inputs are prepared, how the weights were trained, the fine-tunings applied so far. */
    public ModelCard card() { return card; }

    /** The network (a DJL block), for callers that want to run it themselves. */
    public ResNet network() { return net; }

    /** Top-1/top-5 at one test resolution with the card's test transform (resize K / crop ratio, centre crop K). */
    public ResolutionAccuracy evaluate(ImageDataset images, int testResolution) {
        return evaluation().at(images, testResolution, card.getTestCropRatio(), n -> { });
    }

    /** Top-1/top-5 at each test resolution, in the given order. */
    public List<ResolutionAccuracy> evaluate(ImageDataset images, List<Integer> testResolutions) {
        return evaluation().at(images, testResolutions, card.getTestCropRatio(), n -> { });
    }

    /**
     * The FixRes step with the published choices (paper section 5, the authors' code): classifier
     * trained, last BatchNorm on batch statistics, the test transform as augmentation, SGD with
     * {@link LastBatchNormFineTuner#defaultSgd the defaults} on {@code data.train()}; accuracy at K
     * on {@code data.test()} before and after. The weights change in place; {@link #card()} records it.
     */
    public LastBatchNormFineTuner.Result fineTune(DataSplits data, int testResolution) {
        return fineTune(data, new LastBatchNormFineTuner.Request(testResolution, LastBatchNormMode.STATS,
                FineTuneAugmentation.TEST, LastBatchNormFineTuner.defaultSgd(0, threads)));
    }

    /** The FixRes step as {@code request} describes it. */
    public LastBatchNormFineTuner.Result fineTune(DataSplits data, LastBatchNormFineTuner.Request request) {
        LastBatchNormFineTuner.Result result = LastBatchNormFineTuner.run(net, manager, card, data,
                Objects.requireNonNull(request, "request"), io.fixres.train.TrainingProgress.NONE, null);
        card = result.card();
        return result;
    }

    /** Writes {@code model.params} and {@code model.json} into {@code dir} (created if needed; files replaced atomically). */
    public void save(Path dir) throws IOException {
        Checkpoint.save(dir, net, card);
    }

    private ResolutionEvaluation evaluation() {
        return new ResolutionEvaluation(net, card, manager, EVALUATION_BATCH_SIZE, threads);
    }

    @Override
    public void close() {
        manager.close();
    }
}
