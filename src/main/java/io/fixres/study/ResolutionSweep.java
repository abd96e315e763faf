package io.fixres.study;

import io.fixres.eval.Accuracy;
import io.fixres.eval.ResolutionAccuracy;
import io.fixres.eval.ResolutionEvaluation;

import ai.djl.ndarray.NDManager;
import io.fixres.data.ImageDataset;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;

/**
 * Accuracy of one model at every resolution of a (typically 1-pixel) range, with the border
 * effects of supplement B: where the final feature map grows and whether accuracy drops there.
 * Library entry point of {@code fixres sweep}; the report generator calls it too.
 */
public final class ResolutionSweep {
    private final ResNet net;
    private final ModelCard card;
    private final ResolutionEvaluation evaluation;

    public ResolutionSweep(ResNet net, ModelCard card, NDManager manager, int batchSize, int loaderThreads) {
        this.net = net;
        this.card = card;
        this.evaluation = new ResolutionEvaluation(net, card, manager, batchSize, loaderThreads);
    }

    /** Every integer resolution from {@code from} to {@code to} by {@code step}. */
    public static List<Integer> range(int from, int to, int step) {
        if (from < 1 || to < from || step < 1) {
            throw new IllegalArgumentException("sweep range must satisfy 1 <= from <= to and step >= 1, got from "
                    + from + ", to " + to + ", step " + step);
        }
        List<Integer> out = new ArrayList<>();
        for (int r = from; r <= to; r += step) {
            out.add(r);
        }
        return out;
    }

    /** How many images {@link #run} evaluates, for a progress total. */
    public static long imagesToEvaluate(ImageDataset data, List<Integer> resolutions) {
        return (long) data.size() * resolutions.size();
    }

    /** Legend label from the card: augmentation and train resolution, plus the fine-tuning resolutions. */
    public static String label(ModelCard card) {
        StringBuilder label = new StringBuilder(String.format(Locale.ROOT, "%s %dpx",
                card.getTrainAugmentation(), card.getTrainResolution()));
        for (ModelCard.FineTuning ft : card.getFineTunings()) {
            label.append(String.format(Locale.ROOT, " ft %dpx", ft.testResolution()));
        }
        return label.toString();
    }

    /**
     * Evaluates {@code data} at every resolution (all checked against the network's minimum
     * first) and analyses the result.
     *
     * @param imagesDone called with the number of images after every batch
     */
    public SweepResult run(ImageDataset data, List<Integer> resolutions, double cropRatio, IntConsumer imagesDone) {
        if (resolutions.isEmpty()) {
            throw new IllegalArgumentException("no resolutions to sweep");
        }
        resolutions.forEach(net::checkResolution);
        List<ResolutionAccuracy> results = evaluation.at(data, resolutions, cropRatio, imagesDone);
        return analyse(results, cropRatio);
    }

    /** The sweep result for accuracies measured elsewhere (e.g. read back from a JSON file). */
    public SweepResult analyse(List<ResolutionAccuracy> results, double cropRatio) {
        List<SweepPoint> points = results.stream()
                .map(r -> SweepPoint.of(r, net.featureMapSize(r.testResolution())))
                .toList();
        BorderEffects effects = BorderEffects.analyse(results, net::featureMapSize, net.totalStride());
        return new SweepResult(label(card), card.getArchitecture(), card.getTrainResolution(), cropRatio, points, effects);
    }
}
