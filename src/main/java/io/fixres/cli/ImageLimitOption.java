package io.fixres.cli;

import io.fixres.data.ImageLimits;
import picocli.CommandLine.Option;

/** The decoder's pixel limit (see {@link ImageLimits}); every command that decodes image files has it. */
public final class ImageLimitOption {
    @Option(names = "--max-image-pixels", paramLabel = "N", defaultValue = "" + ImageLimits.DEFAULT_MAX_PIXELS,
            description = "Refuse images larger than N pixels (width x height, read from the header before "
                    + "decoding; default ${DEFAULT-VALUE}, PIL's limit).")
    long maxImagePixels;

    /** Sets the limit for this run (it is process-wide, like PIL's Image.MAX_IMAGE_PIXELS). */
    void apply() {
        ImageLimits.setMaxPixels(maxImagePixels);
    }
}
