package io.fixres.eval;

import io.fixres.model.CardTransforms;

import ai.djl.ndarray.NDManager;
import io.fixres.data.ImageDataset;
import io.fixres.model.ModelCard;
import io.fixres.core.FixResNetwork;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Accuracy of one model at many test resolutions with the card's test transform (paper section
 * 5, Figure 5 / supplement Table 5 columns): the measurement that shows the FixRes effect.
 */
public final class ResolutionEvaluation {
    private final FixResNetwork net;
    private final ModelCard card;
    private final AccuracyEvaluator evaluator;

    public ResolutionEvaluation(FixResNetwork net, ModelCard card, NDManager manager, int batchSize, int loaderThreads) {
        this.net = net;
        this.card = card;
        this.evaluator = new AccuracyEvaluator(net.block(), manager, batchSize, loaderThreads);
    }

    /** Accuracy at {@code testResolution} with the given crop ratio. */
    public ResolutionAccuracy at(ImageDataset data, int testResolution, double cropRatio, IntConsumer imagesDone) {
        net.checkResolution(testResolution);
        Accuracy accuracy = evaluator.evaluate(data, CardTransforms.test(card, testResolution, cropRatio), imagesDone);
        return ResolutionAccuracy.of(testResolution, accuracy);
    }

    public List<ResolutionAccuracy> at(ImageDataset data, List<Integer> resolutions, double cropRatio, IntConsumer imagesDone) {
        List<ResolutionAccuracy> out = new ArrayList<>();
        for (int r : resolutions) {
            out.add(at(data, r, cropRatio, imagesDone));
        }
        return out;
    }

    /** The best entry by top-1; the lower resolution wins ties (it is cheaper). */
    public static ResolutionAccuracy best(List<ResolutionAccuracy> results) {
        return results.stream()
                .max(Comparator.comparingDouble(ResolutionAccuracy::top1)
                        .thenComparing(r -> -r.testResolution()))
                .orElseThrow(() -> new IllegalArgumentException("no results"));
    }
}
