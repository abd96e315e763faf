package io.fixres.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** A trained checkpoint directory (model.params + model.json). */
public final class ModelOptions {
    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "Checkpoint directory written by train, finetune or import (model.params + model.json).")
    Path dir;

    public Path dir() { return dir; }
}
