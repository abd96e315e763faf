package io.fixres.cli;

import ai.djl.ndarray.NDManager;
import io.fixres.model.Checkpoint;
import io.fixres.model.WeightImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Turn a torchvision/timm ResNet state dict (.safetensors or .npz) into a fixres checkpoint.",
            "Every key must map onto the network (missing, unexpected and wrongly shaped keys are listed;",
            "num_batches_tracked is ignored). .pth/.pt pickles are refused: convert them in Python first.",
            "Writes DIR/model.params and DIR/model.json (ImageNet mean/std, crop ratio 0.875, bilinear)."})
final class ImportCommand implements Callable<Integer> {
    @Option(names = "--weights", paramLabel = "FILE", required = true,
            description = "State dict as .safetensors (timm's model.safetensors) or .npz (numpy.savez of named arrays).")
    Path weights;

    @Option(names = "--model", paramLabel = "ARCH", required = true,
            description = "Architecture whose keys the file holds: ${COMPLETION-CANDIDATES}.",
            completionCandidates = DescribeCommand.ArchitectureIds.class)
    String architecture;

    @Option(names = "--classes", paramLabel = "FILE", description = "Class names, one per line, in the classifier's row order.")
    Path classes;

    @Option(names = "--train-res", paramLabel = "K", defaultValue = "224",
            description = "Resolution the weights were trained at (default ${DEFAULT-VALUE}, torchvision's and timm's).")
    int trainRes;

    @Option(names = "--mean", paramLabel = "M,..", split = ",",
            description = "Per-channel input mean (default ImageNet's 0.485,0.456,0.406).")
    double[] mean;

    @Option(names = "--std", paramLabel = "S,..", split = ",",
            description = "Per-channel input standard deviation (default ImageNet's 0.229,0.224,0.225).")
    double[] std;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Checkpoint directory to write.")
    Path out;

    @Option(names = "--force", description = "Overwrite an existing checkpoint in DIR.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(out.resolve(Checkpoint.CARD_FILE)) && !force) {
            throw new IllegalArgumentException("--out " + out + " already holds a checkpoint; use --force to overwrite it");
        }
        if ((mean == null) != (std == null)) {
            throw new IllegalArgumentException("give both --mean and --std, or neither (ImageNet's)");
        }
        WeightImport importer = WeightImport.builder(weights)
                .architecture(architecture)
                .classNames(classes == null ? null : WeightImport.readClassNames(classes))
                .trainResolution(trainRes)
                .normalization(mean, std)
                .build();
        try (NDManager manager = NDManager.newBaseManager()) {
            WeightImport.Imported imported = importer.run(manager);
            Checkpoint.save(out, imported.net(), imported.card());
            System.out.printf("imported %s: %d tensors, %s, %d classes, %d input channels, %,d parameters%n",
                    weights, imported.tensorsRead(), imported.card().getArchitecture(), imported.card().getNumClasses(),
                    imported.card().getInputChannels(), imported.card().getParameterCount());
            imported.notes().forEach(note -> System.out.println("note: " + note));
        }
        System.out.println("wrote " + out.resolve(Checkpoint.PARAMS_FILE) + ", " + out.resolve(Checkpoint.CARD_FILE));
        return 0;
    }
}
