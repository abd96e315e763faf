package io.fixres.cli;

import io.fixres.data.BadImages;
import io.fixres.data.DataSplits;
import io.fixres.data.ImageDataset;
import java.io.PrintStream;
import picocli.CommandLine.Option;

/**
 * {@code --skip-bad-images}, only on the commands where it works (every loop of theirs reads the
 * data through {@link BadImages#skipping}); elsewhere picocli refuses it as an unknown option.
 */
public final class SkipBadImagesOption {
    @Option(names = "--skip-bad-images",
            description = "Leave out unreadable images (corrupt, truncated, too large), count them and list them at "
                    + "the end, instead of failing on the first one.")
    boolean skipBadImages;

    private final BadImages badImages = new BadImages();

    /** The splits, skipping bad images when the flag is set. */
    DataSplits apply(DataSplits splits) {
        return !skipBadImages ? splits : new DataSplits(badImages.skipping(splits.train()),
                badImages.skipping(splits.test()), splits.name(), splits.normalization());
    }

    /** The images, skipping bad ones when the flag is set. */
    ImageDataset apply(ImageDataset images) {
        return skipBadImages ? badImages.skipping(images) : images;
    }

    /** The messages of the images skipped, each naming its file (empty without the flag). */
    java.util.List<String> skipped() {
        return badImages.messages();
    }

    /** Prints how many images were skipped and why, when any was. */
    void report(String command, PrintStream err) {
        int n = badImages.count();
        if (n > 0) {
            err.printf("fixres %s: skipped %d unreadable image%s (--skip-bad-images):%n", command, n, n == 1 ? "" : "s");
            badImages.messages().forEach(message -> err.println("  " + message));
        }
    }
}
