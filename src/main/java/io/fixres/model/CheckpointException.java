package io.fixres.model;

/** A directory that is not a usable fixres checkpoint; the message names the file and what is wrong. */
public class CheckpointException extends IllegalArgumentException {

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
