package io.fixres.reproduce;

import java.util.List;
import java.util.Locale;

/**
 * How big a reproduction run is: which models to train, on how many images, and which
 * resolutions to measure. The profiles are sized for a 2-core CPU (quick under 5 minutes,
 * default under 30); {@code full} is for bigger machines and real ImageFolder data.
 *
 * @param architecture network for every model of the study
 * @param width width multiplier of that network
 * @param mainTrainResolution K_train of the model the single-model artefacts use (Tables 4, 6, 8, Figs 6-7)
 * @param gridTrainResolutions columns of Tables 5 and 9
 * @param gridTestResolutions rows of Tables 5 and 9, and the columns of Tables 4 and 6
 * @param limitTrain training images per model (seeded subset)
 * @param limitTest test images per evaluation (seeded subset)
 * @param epochs training epochs per model
 * @param batchSize training batch size
 * @param learningRate training learning rate
 * @param fineTuneEpochs epochs of each FixRes fine-tuning
 * @param fineTuneLimitTrain training images each fine-tuning sees
 * @param sweepFrom first resolution of the 1-pixel sweep (Figures 7, 8)
 * @param sweepTo last resolution of the sweep
 * @param sweepLimitTest test images per sweep point
 * @param statsLimitImages images whose activations the Fréchet/Gaussian statistics use
 * @param timingRepeats timed repetitions per Table 7 cell
 * @param timingBatchSize batch size of the timing
 */
public record StudyPlan(
        String profile,
        String architecture,
        double width,
        int mainTrainResolution,
        List<Integer> gridTrainResolutions,
        List<Integer> gridTestResolutions,
        int limitTrain,
        int limitTest,
        int epochs,
        int batchSize,
        float learningRate,
        int fineTuneEpochs,
        int fineTuneLimitTrain,
        int sweepFrom,
        int sweepTo,
        int sweepLimitTest,
        int statsLimitImages,
        int timingRepeats,
        int timingBatchSize) {

    public StudyPlan {
        if (!gridTrainResolutions.contains(mainTrainResolution)) {
            throw new IllegalArgumentException("the grid's train resolutions " + gridTrainResolutions
                    + " must include the main train resolution " + mainTrainResolution);
        }
        if (sweepTo < sweepFrom) {
            throw new IllegalArgumentException("sweep range " + sweepFrom + ".." + sweepTo + " is empty");
        }
    }

    /** Under 5 minutes on 2 cores: shows every artefact, with small subsets and few resolutions. */
    public static StudyPlan quick() {
        return new StudyPlan("quick", "resnet-small", 0.5, 24, List.of(16, 24), List.of(16, 20, 24, 28, 32),
                5000, 1000, 3, 128, 0.1f, 1, 2560, 16, 40, 500, 1000, 3, 32);
    }

    /**
     * Under 30 minutes on 2 cores: the study the README shows. Its 24 px RandomResizedCrop model
     * is the README's default model (resnet-small, 20,000 images, 4 epochs).
     */
    public static StudyPlan standard() {
        return new StudyPlan("default", "resnet-small", 1.0, 24, List.of(16, 24),
                List.of(16, 20, 24, 28, 32, 40, 48), 20000, 5000, 4, 128, 0.1f, 1, 5120,
                16, 56, 1000, 5000, 10, 64);
    }

    /** For bigger machines: full splits, more resolutions. */
    public static StudyPlan full() {
        return new StudyPlan("full", "resnet-small", 1.0, 24, List.of(16, 20, 24, 28, 32),
                List.of(16, 20, 24, 28, 32, 36, 40, 48, 56, 64), Integer.MAX_VALUE, Integer.MAX_VALUE, 10, 128, 0.1f,
                3, 20000, 12, 80, Integer.MAX_VALUE, 20000, 20, 64);
    }

    public static StudyPlan named(String profile) {
        return switch (profile.toLowerCase(Locale.ROOT)) {
            case "quick" -> quick();
            case "default", "standard" -> standard();
            case "full" -> full();
            default -> throw new IllegalArgumentException("unknown --profile '" + profile + "': expected quick, default or full");
        };
    }
}
