package io.fixres.cli;

import java.util.Map;

/**
 * The flag each library parameter name comes from, so that an {@link io.fixres.io.InvalidParameterException}
 * ("epochs must be >= 1, got 0") reaches the user as "--epochs must be >= 1, got 0".
 */
final class FlagNames {
    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("epochs", "--epochs"),
            Map.entry("batch size", "--batch-size"),
            Map.entry("learning rate", "--lr"),
            Map.entry("momentum", "--momentum"),
            Map.entry("weight decay", "--weight-decay"),
            Map.entry("threads", "--threads"),
            Map.entry("train resolution", "--train-res"),
            Map.entry("train resolutions", "--train-res"),
            Map.entry("test resolutions", "--test-res"),
            Map.entry("test resolution", "--test-res"),
            Map.entry("number of classes", "--classes"),
            Map.entry("input channels", "--channels"),
            Map.entry("width multiplier", "--width"),
            Map.entry("Monte Carlo samples", "--monte-carlo"),
            Map.entry("search strides", "--search-strides"),
            Map.entry("training epochs", "--epochs"),
            Map.entry("fine-tuning epochs", "--ft-epochs"),
            Map.entry("images per epoch", "--images"),
            Map.entry("xi", "--xi"),
            Map.entry("seconds per phase", "--seconds"),
            Map.entry("last batch-norm mode", "--bn"),
            Map.entry("warm-up steps", "--warmup"),
            Map.entry("timed steps", "--repeats"),
            Map.entry("timing steps", "--timing-steps"),
            Map.entry("reservoir capacity", "--reservoir"),
            Map.entry("maximum image pixels", "--max-image-pixels"),
            Map.entry("probe evaluations", "--probe"),
            Map.entry("held-out images", "--held-out"),
            Map.entry("latency budget", "--budget-ms"),
            Map.entry("export file", "--export"),

            Map.entry("profile", "--profile"));

    private FlagNames() {}

    /** The flag of a library parameter, or null when no flag sets it. */
    static String flagOf(String parameter) {
        return FLAGS.get(parameter);
    }
}
