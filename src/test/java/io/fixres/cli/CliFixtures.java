package io.fixres.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.fixres.model.Checkpoint;
import io.fixres.model.ModelCard;
import io.fixres.model.ResNet;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Tiny data sets and checkpoints written by the CLI tests, and a way to capture the CLI's output. */
final class CliFixtures {
    private CliFixtures() {}

    /** Exit code and standard output of one {@code fixres} run. */
    record Run(int exitCode, String out, String err) {}

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** An IDX directory of {@code n} train and {@code n} test 28x28 images, labels i % 10. */
    static Path idxDirectory(Path dir, int n) throws IOException {
        for (String split : new String[] {"train", "t10k"}) {
            byte[] pixels = new byte[n * 28 * 28];
            byte[] labels = new byte[n];
            for (int i = 0; i < n; i++) {
                labels[i] = (byte) (i % 10);
                for (int p = 0; p < 28 * 28; p++) {
                    pixels[i * 784 + p] = (byte) ((p / 28 + p % 28 + 25 * i) % 256);
                }
            }
            write(dir.resolve(split + "-images-idx3-ubyte.gz"), 0x803, new int[] {n, 28, 28}, pixels);
            write(dir.resolve(split + "-labels-idx1-ubyte.gz"), 0x801, new int[] {n}, labels);
        }
        return dir;
    }

    private static void write(Path file, int magic, int[] dims, byte[] payload) throws IOException {
        Files.createDirectories(file.getParent());
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(payload);
        }
    }

    /** A randomly initialised quarter-width small ResNet saved with a card saying "rrc, trained at trainRes". */
    static Path checkpoint(Path dir, int trainRes) throws IOException {
        Engine.getInstance().setRandomSeed(trainRes);
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet net = ResNet.builder().architecture("resnet-small").numClasses(10).inputChannels(1)
                    .widthMultiplier(0.25).build();
            net.initialize(manager, trainRes);
            ModelCard card = new ModelCard();
            card.setArchitecture("resnet-small");
            card.setNumClasses(10);
            card.setInputChannels(1);
            card.setWidthMultiplier(0.25);
            card.setMean(new double[] {0.5});
            card.setStd(new double[] {0.25});
            card.setTrainResolution(trainRes);
            card.setTrainAugmentation(io.fixres.transform.TrainAugmentation.RRC);
            card.setParameterCount(net.parameterCount());
            Checkpoint.save(dir, net, card);
        }
        return dir;
    }
}
