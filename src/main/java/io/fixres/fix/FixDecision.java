package io.fixres.fix;

import java.util.List;
import java.util.Locale;

/** The decision of a fix in words: what to serve, at which resolution, and why. */
final class FixDecision {
    private FixDecision() {}

    /**
     * @param ceiling the largest resolution the latency budget allowed ({@link Integer#MAX_VALUE}: no budget or no limit reached)
     */
    static String explain(FixReport r, int ceiling) {
        int k = r.chosenResolution();
        StringBuilder out = new StringBuilder();
        String how = r.method().startsWith("recalibrate")
                ? String.format(Locale.ROOT, "recalibrating the last BatchNorm at %d px on %,d images (no label read)",
                        k, r.fineTuningImages().images())
                : String.format(Locale.ROOT, "the one-pass FixRes fine-tuning at %d px (last BatchNorm statistics and "
                        + "classifier) on %,d images", k, r.fineTuningImages().images());
        if (r.chosenBy() == FixReport.ChosenBy.PREDICTION) {
            out.append(String.format(Locale.ROOT, "Serve at %d px with the fixed weights. No labelled images were "
                    + "available to measure accuracy, so %d px is the apparent-size prediction alone (%s: %.1f px, "
                    + "nearest multiple of the stride %d), not a measurement; pass labelled held-out images (--val) "
                    + "to probe. Fixed by %s.", k, k, r.prediction().basis(), r.prediction().equalisingTestRes(),
                    r.stride(), how));
        } else {
            List<Integer> probed = r.probes().stream().map(FixReport.Probe::resolution).toList();
            boolean worse = r.gainOverTrainRes().verdict() == FixReport.GainVerdict.WORSE;
            if (worse) {
                out.append(String.format(Locale.ROOT, "Keep the original weights at %d px: the fixed weights at %d px "
                                + "reach %.2f%% against %.2f%% for the original at its training resolution (%s). ",
                        r.trainResolution(), k, r.afterAtChosen().top1(), r.beforeAtTrainRes().top1(),
                        r.gainOverTrainRes().describe()));
            } else {
                out.append(String.format(Locale.ROOT, "Serve at %d px with the fixed weights: top-1 %.2f%% against "
                                + "%.2f%% for the original at its training resolution %d px (%s). ",
                        k, r.afterAtChosen().top1(), r.beforeAtTrainRes().top1(), r.trainResolution(),
                        r.gainOverTrainRes().describe()));
            }
            out.append(String.format(Locale.ROOT, "%d px was the most accurate of the %d probed resolutions (%s)%s "
                            + "before the fix, on %,d held-out images; the apparent-size analysis predicted %.1f px "
                            + "(%d px aligned to the stride %d). ", k, probed.size(), ResolutionFix.pixels(probed),
                    ceiling == Integer.MAX_VALUE ? "" : String.format(Locale.ROOT, " within the %.3f ms budget "
                            + "(resolutions up to %d px fit it)", r.budgetMillis(), ceiling),
                    r.heldOutImages().images(), r.prediction().equalisingTestRes(), r.prediction().alignedTestRes(),
                    r.stride()));
            out.append(String.format(Locale.ROOT, "The fix (%s) changed top-1 at %d px by %s.", how, k,
                    r.gainAtChosen().describe()));
        }
        r.latency().stream().filter(l -> l.resolution() == k).findFirst().ifPresent(l -> out.append(String.format(
                Locale.ROOT, " Inference at %d px: %.3f ms per image at batch 1, %.3f ms per image at batch %d.",
                k, l.batch1Millis(), l.perImageInBatchMillis(), l.batchSize())));
        return out.toString();
    }
}
