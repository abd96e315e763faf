package io.fixres.data;

/** Bad or missing input data; the message names the file and what was expected. */
public class DataException extends RuntimeException {
    public DataException(String message) { super(message); }

    public DataException(String message, Throwable cause) { super(message, cause); }
}
