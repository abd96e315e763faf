package io.fixres.train;

/** A training run that cannot go on (NaN loss, an optimizer with nothing to train). */
public class TrainingException extends RuntimeException {
    public TrainingException(String message) { super(message); }
}
