package io.fixres.cli;

import picocli.CommandLine;

/** Versions of fixres and of the engine it runs on, for --version and the model card. */
public final class VersionInfo implements CommandLine.IVersionProvider {
    public static final String FIXRES = "0.1.0";
    public static final String DJL = "0.36.0";
    public static final String PYTORCH = "2.7.1";

    @Override
    public String[] getVersion() {
        return new String[] {"fixres " + FIXRES + " (DJL " + DJL + ", PyTorch " + PYTORCH + ", Java "
                + System.getProperty("java.version") + ")"};
    }
}
