package io.fixres.io;

import java.util.function.Function;

/**
 * A library parameter outside its range, named by the library's own name for it ("epochs",
 * "batch size"); the command line renames it to the flag the user typed ("--epochs") before
 * printing, so the library never has to know its flags.
 */
public class InvalidParameterException extends IllegalArgumentException {
    private final String parameter;
    private final String requirement;
    private final transient Object value;

    public InvalidParameterException(String parameter, String requirement, Object value) {
        super(parameter + " " + requirement + ", got " + value);
        this.parameter = parameter;
        this.requirement = requirement;
        this.value = value;
    }

    /** Throws when {@code ok} is false: "{parameter} {requirement}, got {value}". */
    public static void require(boolean ok, String parameter, String requirement, Object value) {
        if (!ok) {
            throw new InvalidParameterException(parameter, requirement, value);
        }
    }

    /** The library's name of the parameter. */
    public String parameter() { return parameter; }

    /** The message with the parameter renamed by {@code rename} (unknown names stay). */
    public String messageNaming(Function<String, String> rename) {
        String name = rename.apply(parameter);
        return (name == null ? parameter : name) + " " + requirement + ", got " + value;
    }
}
