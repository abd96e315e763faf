package io.fixres.cli;

import ai.djl.ndarray.NDManager;
import io.fixres.model.Checkpoint;
import io.fixres.model.StateDictFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a checkpoint's weights as a safetensors state dict with torchvision key names,",
            "for torchvision.models.<arch>(num_classes=N).load_state_dict(safetensors.torch.load_file(FILE)).",
            "num_batches_tracked is not written: PyTorch's BatchNorm fills it in (strict loading accepts the file)."})
final class ExportCommand implements Callable<Integer> {
    @Mixin ModelOptions model;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Output file, ending in .safetensors.")
    Path out;

    @Option(names = "--force", description = "Overwrite FILE if it exists.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (!out.getFileName().toString().endsWith(".safetensors")) {
            throw new IllegalArgumentException("--out " + out + " must end in .safetensors (the format written)");
        }
        if (Files.exists(out) && !force) {
            throw new IllegalArgumentException("--out " + out + " exists; use --force to overwrite it");
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint.LoadedModel loaded = Checkpoint.load(model.dir(), manager);
            StateDictFile.writeSafetensors(loaded.net(), out);
            System.out.printf("wrote %s: %d tensors of %s (%d classes, %d input channels)%n", out,
                    loaded.net().stateDict().size(), loaded.card().getArchitecture(), loaded.card().getNumClasses(),
                    loaded.card().getInputChannels());
        }
        return 0;
    }
}
