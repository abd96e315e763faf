package io.fixres.train;

import io.fixres.io.InvalidParameterException;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fixres.core.LastBatchNormMode;
import io.fixres.data.DataSplits;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.model.Checkpoint;
import io.fixres.model.ModelCard;
import io.fixres.train.LastBatchNormFineTuner.FineTuneAugmentation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code fixres finetune} as one library call: load a checkpoint, run the FixRes step at K,
 * save the fine-tuned checkpoint (its card records the fine-tuning and recommends K) and, when
 * asked, time fine-tuning against full-training steps (Table 7's point).
 */
public final class CheckpointFineTuning {

    /** What was fine-tuned, how, and the accuracy at K before and after: {@code finetune.json}. */
    public record Report(
            @JsonProperty("method") ModelCard.FineTuningMethod method,
            @JsonProperty("seconds") double seconds,
            @JsonProperty("model") String model,
            @JsonProperty("out") String out,
            @JsonProperty("train_res") int trainResolution,
            @JsonProperty("test_res") int testResolution,
            @JsonProperty("bn") LastBatchNormMode bn,
            @JsonProperty("da") FineTuneAugmentation da,
            @JsonProperty("sgd") SgdConfig sgd,
            @JsonProperty("before") ResolutionAccuracy before,
            @JsonProperty("after") ResolutionAccuracy after,
            @JsonProperty("history") List<EpochMetrics> history,
            @JsonProperty("step_time") FineTuningCost.Comparison stepTime) {

        @JsonProperty("step_time_speedup")
        public Double stepTimeSpeedup() {
            return stepTime == null ? null : stepTime.speedup();
        }
    }

    private CheckpointFineTuning() {}

    /**
     * @param method {@code SGD} (the published recipe) or {@code CACHED} (the one-pass step, with {@code options})
     * @param timingSteps 0 to skip the step timing, else at least 2 steps of each kind
     * @param onLoaded told the loaded card before the (long) fine-tuning starts, e.g. to print it
     */
    public static Report run(Path model, DataSplits data, LastBatchNormFineTuner.Request request,
                             ModelCard.FineTuningMethod method, OnePassFineTuner.Options options, Path out,
                             int timingSteps, TrainingProgress progress, Consumer<ModelCard> onLoaded) throws IOException {
        if (method == ModelCard.FineTuningMethod.RECALIBRATE) {
            throw new IllegalArgumentException("recalibration is not a fine-tuning method: use Recalibration");
        }
        if (method == ModelCard.FineTuningMethod.CACHED) {
            OnePassFineTuner.checkSupported(request);
        }
        InvalidParameterException.require(timingSteps == 0 || timingSteps >= 2, "timing steps", "must be 0 (skip) or >= 2", timingSteps);
        LastBatchNormFineTuner.Result result;
        ModelCard card;
        double seconds;
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint.LoadedModel loaded = Checkpoint.load(model, manager);
            card = loaded.card();
            loaded.net().checkResolution("test resolution", request.testResolution());
            Checkpoint.requireFits(model, card, data.train());
            Checkpoint.requireFits(model, card, data.test());
            onLoaded.accept(card);
            ResolutionAccuracy before = new io.fixres.eval.ResolutionEvaluation(loaded.net(), card, manager,
                    Math.max(256, request.sgd().batchSize()), request.sgd().loaderThreads())
                    .at(data.test(), request.testResolution(), card.getTestCropRatio(), n -> { });
            result = method == ModelCard.FineTuningMethod.CACHED
                    ? OnePassFineTuner.run(loaded.net(), manager, card, data, request, options, progress, before)
                    : LastBatchNormFineTuner.run(loaded.net(), manager, card, data, request, progress, before);
            seconds = result.seconds();
            Checkpoint.save(out, loaded.net(), result.card());
        }
        FineTuningCost.Comparison cost = timingSteps == 0 ? null : FineTuningCost.measure(card,
                request.testResolution(), request.sgd().batchSize(), request.bn(), timingSteps, request.sgd().seed());
        return new Report(method, seconds, model.toString(), out.toString(), card.getTrainResolution(), request.testResolution(),
                request.bn(), request.augmentation(), request.sgd(), result.before(), result.after(), result.history(), cost);
    }
}
