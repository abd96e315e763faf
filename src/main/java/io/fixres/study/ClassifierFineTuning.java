package io.fixres.study;

import io.fixres.eval.ResolutionAccuracy;

import com.fasterxml.jackson.annotation.JsonValue;
import io.fixres.core.ActivationHook;

/**
 * The fine-tuning rows of supplement Table 4, supplied by the caller so that evaluation does not
 * depend on the training package: fine-tune a fresh copy of the model at one test resolution
 * with {@code hook} installed (identity, or an adaptation kept in place while the classifier
 * learns) and return its accuracy on the test images at that resolution, hook still installed.
 * {@code before} is the accuracy of the same network and hook without fine-tuning when the study
 * has already measured it ({@code null} otherwise), so that it need not be measured again.
 */
@FunctionalInterface
public interface ClassifierFineTuning {

    /** What Table 4's "Fine-tuning" columns tick. */
    enum Scope {
        /** fc only, every BatchNorm frozen in inference mode. */
        CLASSIFIER("classifier", "classifier"),
        /** fc and the last BatchNorm (the FixRes step). */
        CLASSIFIER_AND_BATCH_NORM("classifier+bn", "classifier + BN");

        private final String id;
        private final String label;

        Scope(String id, String label) {
            this.id = id;
            this.label = label;
        }

        /** The name in JSON results. */
        @JsonValue
        public String id() { return id; }

        /** The name in tables. */
        public String label() { return label; }
    }

    ResolutionAccuracy fineTune(int testResolution, Scope scope, ActivationHook hook, ResolutionAccuracy before)
            throws Exception;
}
