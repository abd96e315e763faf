package io.fixres.cli;

import io.fixres.model.Architecture;
import io.fixres.model.ResNet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Print a network's layers, total stride, parameter count and last BatchNorm (the one FixRes fine-tunes).")
final class DescribeCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "ARCH", defaultValue = "resnet-small",
            description = "Architecture: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).", completionCandidates = ArchitectureIds.class)
    String architecture;

    @Option(names = "--classes", paramLabel = "N", defaultValue = "10", description = "Number of classes (default ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--channels", paramLabel = "C", description = "Input channels (default 1 for resnet-small, else 3).")
    Integer channels;

    @Option(names = "--width", paramLabel = "W", defaultValue = "1.0", description = "Width multiplier (default ${DEFAULT-VALUE}).")
    double width;

    @Option(names = "--res", paramLabel = "K", description = "Input resolution for the shapes (default 28 for resnet-small, else 224).")
    Integer resolution;

    @Override
    public Integer call() {
        boolean small = Architecture.fromId(architecture) == Architecture.fromId("resnet-small");
        ResNet net = ResNet.builder()
                .architecture(architecture)
                .numClasses(classes)
                .inputChannels(channels != null ? channels : small ? 1 : 3)
                .widthMultiplier(width)
                .build();
        int k = resolution != null ? resolution : small ? 28 : 224;
        Resolutions.requireUseful(net, k, "--res"); // the same minimum the description prints as "minimum input"
        System.out.print(net.describe(k));
        return 0;
    }

    /** Lists the architecture ids for --help. */
    static final class ArchitectureIds extends java.util.ArrayList<String> {
        ArchitectureIds() { super(Architecture.ids()); }
    }
}
