package io.fixres.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import com.fasterxml.jackson.core.type.TypeReference;
import io.fixres.model.Checkpoint;
import io.fixres.reproduce.StageCache;
import io.fixres.testing.BadFiles;
import io.fixres.testing.CliRun;
import io.fixres.testing.TinyDatasets;
import io.fixres.testing.TinyModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The bad-input suite (issue 13): the CLI, run in-process on a generated corpus of bad or hostile
 * inputs, must fail with a non-zero exit, a message naming the file or flag (and no stack trace),
 * before any work, leaving no output behind. Each case names the category it covers; the corpus is
 * tiny (a width-1/4 resnet-small, 28x28 IDX images, 96x64 pictures), so the suite stays fast.
 */
class BadInputSuiteTest {
    @TempDir
    static Path tmp;
    /** 10 classes of 28x28 grey images (gzipped IDX), matching {@link #model}. */
    static Path idx10;
    /** A 10-class, 1-channel checkpoint trained at 16 px. */
    static Path model;
    /** {@link #model} with one NaN in fc.weight. */
    static Path nanModel;
    /** An RGB ImageFolder of two classes whose class and file names are not ASCII. */
    static Path folder;
    /** A 2-class RGB checkpoint trained on {@link #folder}. */
    static Path rgbModel;
    /** {@link #folder} plus a truncated JPEG in train/ and val/. */
    static Path truncatedFolder;
    static Path truncatedTrainImage;
    static Path truncatedValImage;
    /** {@link #folder} plus a PNG whose header claims 16000x16000 pixels in val/. */
    static Path bombFolder;
    static Path bomb;
    /** A regular file, so that any output path under it cannot be created. */
    static Path aFile;

    @BeforeAll
    static void corpus() throws Exception {
        idx10 = CliFixtures.idxDirectory(tmp.resolve("idx10"), 20);
        model = TinyModels.checkpoint(tmp.resolve("model"), TinyModels.TRAIN_RES);
        nanModel = tmp.resolve("nan-model");
        try (NDManager manager = NDManager.newBaseManager()) {
            Checkpoint.LoadedModel loaded = Checkpoint.load(model, manager);
            loaded.net().stateDict().get("fc.weight").getArray().set(new NDIndex("3, 7"), Float.NaN);
            Checkpoint.save(nanModel, loaded.net(), loaded.card());
        }
        folder = tmp.resolve("bilder");
        for (String split : List.of("train", "val")) {
            for (String cls : List.of("Äpfel", "birnen")) {
                for (int i = 0; i < 3; i++) {
                    BadFiles.write(folder.resolve(split).resolve(cls).resolve("bild-é" + i + ".png"), BadFiles.encoded("png"));
                }
            }
        }
        rgbModel = tmp.resolve("rgb-model");
        CliRun train = CliRun.of("train", "--data", folder.toString(), "--width", "0.25", "--train-res", "16",
                "--epochs", "1", "--batch-size", "4", "--no-validate", "--threads", "2", "--out", rgbModel.toString());
        assertThat(train.exitCode()).as(train.err()).isZero();

        truncatedFolder = copy(folder, tmp.resolve("truncated"));
        truncatedTrainImage = BadFiles.truncatedJpeg(truncatedFolder.resolve("train/birnen/cut.jpg"));
        truncatedValImage = BadFiles.truncatedJpeg(truncatedFolder.resolve("val/birnen/cut.jpg"));
        bombFolder = copy(folder, tmp.resolve("bomb"));
        bomb = BadFiles.pngClaiming(bombFolder.resolve("val/birnen/bomb.png"), 16000, 16000);
        aFile = Files.writeString(tmp.resolve("a-file"), "not a directory");
    }

    /** One bad input: what is run, what the message must say, and what must not be left behind. */
    record Case(String category, List<String> args, List<String> message, Path mustNotExist) {
        @Override
        public String toString() {
            return category + ": fixres " + String.join(" ", args);
        }
    }

    static Stream<Arguments> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        // --- images: truncated, decompression bombs
        Path out = tmp.resolve("out");
        cases.add(new Case("truncated JPEG (train)", args("train", "--data", truncatedFolder, "--width", "0.25",
                "--train-res", "16", "--epochs", "1", "--batch-size", "4", "--no-validate", "--out", out.resolve("t1")),
                List.of(truncatedTrainImage + " is truncated"), out.resolve("t1/model.json")));
        cases.add(new Case("truncated JPEG (evaluate)", args("evaluate", "--model", rgbModel, "--data", truncatedFolder,
                "--test-res", "16", "--json", out.resolve("t2.json")),
                List.of(truncatedValImage + " is truncated"), out.resolve("t2.json")));
        cases.add(new Case("image above the pixel limit", args("evaluate", "--model", rgbModel, "--data", bombFolder,
                "--test-res", "16", "--json", out.resolve("b.json")),
                List.of("image " + bomb + " is 16000x16000 = 256,000,000 pixels", "--max-image-pixels"), out.resolve("b.json")));
        cases.add(new Case("--max-image-pixels out of range", args("evaluate", "--model", rgbModel, "--data", folder,
                "--test-res", "16", "--max-image-pixels", "0"), List.of("--max-image-pixels must be >= 1, got 0"), null));
        // --- weights: NaN, hostile safetensors, pickles, card mismatch
        for (String command : List.of("evaluate", "fit", "finetune")) {
            List<String> a = args(command, "--model", nanModel, "--data", idx10, "--test-res", "16");
            if (command.equals("finetune")) {
                a.addAll(args("--out", out.resolve("nan-ft")));
            }
            cases.add(new Case("NaN weight (" + command + ")", a,
                    List.of(nanModel.resolve("model.params") + ": tensor 'fc.weight' holds NaN"), out.resolve("nan-ft")));
        }
        cases.add(new Case("NaN weight (sweep)", args("sweep", "--model", model, "--model", nanModel, "--data", idx10,
                "--from", "16", "--to", "17", "--out", out.resolve("nan-sweep")),
                List.of(nanModel.resolve("model.params") + ": tensor 'fc.weight' holds NaN"), out.resolve("nan-sweep")));
        Path hostile = hostileSafetensors(tmp.resolve("hostile.safetensors"));
        cases.add(new Case("safetensors header length 2^31", args("import", "--weights", hostile, "--model", "resnet-small",
                "--out", out.resolve("imported")), List.of(hostile + " is not a valid safetensors file: its header length"
                + " says 2,147,483,648 bytes"), out.resolve("imported")));
        Path pickle = Files.write(tmp.resolve("weights.pth"), new byte[] {(byte) 0x80, 2, 'c', 'x'});
        cases.add(new Case("pickle weights (already refused)", args("import", "--weights", pickle, "--model",
                "resnet-small", "--out", out.resolve("pickle")), List.of(pickle + " looks like a PyTorch pickle"),
                out.resolve("pickle")));
        Path badCard = copy(model, tmp.resolve("bad-card"));
        Files.writeString(badCard.resolve("model.json"),
                Files.readString(badCard.resolve("model.json")).replace("\"num_classes\" : 10", "\"num_classes\" : 7"));
        cases.add(new Case("card does not match the weights (already refused)", args("evaluate", "--model", badCard,
                "--data", idx10, "--test-res", "16"), List.of(badCard.resolve("model.params").toString()), null));
        // --- IDX: hostile size, zero images, corrupt, missing, wrong layout
        Path hugeIdx = Files.createDirectories(tmp.resolve("huge-idx"));
        copy(idx10, hugeIdx);
        Path hugeImages = hugeIdx.resolve("t10k-images-idx3-ubyte");
        Files.delete(hugeIdx.resolve("t10k-images-idx3-ubyte.gz"));
        Files.write(hugeImages, TinyDatasets.idx(0x803, new int[] {2_551_020, 28, 28}, new byte[784]));
        cases.add(new Case("IDX header claiming 2 GB", args("evaluate", "--model", model, "--data", hugeIdx, "--test-res", "16"),
                List.of(hugeImages + " is truncated: the header promises 2551020 images of 28x28"), null));
        Path emptyIdx = TinyDatasets.idxDirectory(tmp.resolve("empty-idx"), 12, 12, 10, 2);
        TinyDatasets.writeIdxSplit(emptyIdx, "train", 28, new byte[0], new byte[0]);
        cases.add(new Case("training file of 0 images", args("train", "--data", emptyIdx, "--width", "0.25",
                "--train-res", "16", "--epochs", "1", "--out", out.resolve("empty")),
                List.of(emptyIdx.resolve("train-images-idx3-ubyte") + " holds 0 images"), out.resolve("empty/model.json")));
        Path badMagic = copy(idx10, tmp.resolve("bad-magic"));
        Path labelsAsImages = badMagic.resolve("t10k-images-idx3-ubyte.gz");
        Files.copy(badMagic.resolve("t10k-labels-idx1-ubyte.gz"), labelsAsImages, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        cases.add(new Case("corrupt IDX (already refused)", args("evaluate", "--model", model, "--data", badMagic,
                "--test-res", "16"), List.of(labelsAsImages + ": expected an IDX image file"), null));
        Path missing = tmp.resolve("no-such-dir");
        cases.add(new Case("missing path (already refused)", args("evaluate", "--model", model, "--data", missing,
                "--test-res", "16"), List.of(missing.toString()), null));
        Path wrongLayout = Files.createDirectories(tmp.resolve("wrong-layout/train/a"));
        BadFiles.write(wrongLayout.resolve("x.png"), BadFiles.encoded("png"));
        cases.add(new Case("wrong layout (already refused)", args("evaluate", "--model", model, "--data",
                tmp.resolve("wrong-layout"), "--test-res", "16"), List.of(tmp.resolve("wrong-layout").toString()), null));
        Path garbage = copy(folder, tmp.resolve("garbage"));
        Path garbageImage = Files.write(garbage.resolve("val/birnen/z.jpg"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        cases.add(new Case("corrupt image (already refused)", args("evaluate", "--model", rgbModel, "--data", garbage,
                "--test-res", "16"), List.of(garbageImage.toString()), null));
        // --- model and data disagree
        Path threeClasses = copy(folder, tmp.resolve("three-classes"));
        for (String split : List.of("train", "val")) {
            BadFiles.write(threeClasses.resolve(split).resolve("kirschen/k.png"), BadFiles.encoded("png"));
        }
        cases.add(new Case("class-count mismatch", args("evaluate", "--model", rgbModel, "--data", threeClasses,
                "--test-res", "16"), List.of("the checkpoint " + rgbModel + " has 2 classes but the data set "
                + threeClasses.resolve("val") + " has 3"), null));
        cases.add(new Case("class-count mismatch (finetune)", args("finetune", "--model", rgbModel, "--data", threeClasses,
                "--test-res", "16", "--out", out.resolve("ft3")), List.of("has 2 classes", "has 3"), out.resolve("ft3")));
        cases.add(new Case("class-count mismatch (sweep)", args("sweep", "--model", rgbModel, "--data", threeClasses,
                "--from", "16", "--to", "17", "--out", out.resolve("sw3")), List.of("has 2 classes", "has 3"), out.resolve("sw3")));
        cases.add(new Case("channel-count mismatch", args("evaluate", "--model", model, "--data", folder, "--test-res", "16"),
                List.of("the checkpoint " + model + " takes 1-channel images but the data set", "has 3-channel images"), null));
        // --- resolution flags and other ranges
        for (String k : List.of("0", "-5")) {
            cases.add(new Case("--test-res " + k, args("evaluate", "--model", model, "--data", idx10, "--test-res", k),
                    List.of("'--test-res'", "resolutions must be positive"), null));
        }
        for (String command : List.of("evaluate", "fit", "finetune")) {
            for (String k : List.of("2", "100000")) {
                List<String> a = args(command, "--model", model, "--data", idx10, "--test-res", k);
                if (command.equals("finetune")) {
                    a.addAll(args("--out", out.resolve("res-ft")));
                }
                cases.add(new Case("--test-res " + k + " (" + command + ")", a,
                        List.of(k.equals("2") ? "--test-res must be in [4, 4096] px" : "4096"), out.resolve("res-ft")));
            }
        }
        for (String k : List.of("0", "2", "5000")) {
            cases.add(new Case("--train-res " + k, args("train", "--data", idx10, "--train-res", k, "--out",
                    out.resolve("tr")), List.of("--train-res must be in [4, 4096] px", "got " + k), out.resolve("tr")));
        }
        cases.add(new Case("sweep --from 2", args("sweep", "--model", model, "--data", idx10, "--from", "2", "--to", "8",
                "--out", out.resolve("sw")), List.of("--from must be in [4, 4096] px", "got 2"), out.resolve("sw")));
        cases.add(new Case("fit --reservoir 0", args("fit", "--model", model, "--data", idx10, "--test-res", "16",
                "--reservoir", "0"), List.of("--reservoir must be >= 1, got 0"), null));
        cases.add(new Case("describe --res 0", List.of("describe", "--res", "0"),
                List.of("--res must be in [4, 4096] px", "got 0"), null));
        cases.add(new Case("describe --res -5", List.of("describe", "--res", "-5"), List.of("--res must be in [4, 4096]"), null));
        cases.add(new Case("describe --width 0", List.of("describe", "--width", "0"),
                List.of("--width must be a positive number, got 0.0"), null));
        cases.add(new Case("describe --width NaN", List.of("describe", "--width", "NaN"),
                List.of("--width must be a positive number, got NaN"), null));
        cases.add(new Case("describe --classes 0", List.of("describe", "--classes", "0"), List.of("--classes must be >= 1, got 0"), null));
        cases.add(new Case("describe --channels 0", List.of("describe", "--channels", "0"), List.of("--channels must be >= 1, got 0"), null));
        // --- output paths checked before the work
        Path underFile = aFile.resolve("sub");
        cases.add(new Case("fit --out not creatable", args("fit", "--model", model, "--data", idx10, "--test-res", "16",
                "--out", underFile), List.of("cannot write " + underFile + ": " + aFile + " is a file"), null));
        cases.add(new Case("sweep --out not creatable", args("sweep", "--model", model, "--data", idx10, "--from", "16",
                "--to", "17", "--out", underFile), List.of("cannot write " + underFile), null));
        cases.add(new Case("finetune --out not creatable", args("finetune", "--model", model, "--data", idx10,
                "--test-res", "16", "--out", underFile), List.of("cannot write " + underFile), null));
        cases.add(new Case("evaluate --json not creatable", args("evaluate", "--model", model, "--data", idx10,
                "--test-res", "16", "--json", underFile.resolve("e.json")), List.of("cannot write " + underFile.resolve("e.json")), null));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedNamingTheFileOrFlagBeforeAnyWorkAndLeavesNothingBehind(Case c) {
        CliRun run = CliRun.of(c.args().toArray(String[]::new));
        assertThat(run.exitCode()).as(c + "\n" + run.err()).isNotZero();
        for (String part : c.message()) {
            assertThat(run.err()).as(c.toString()).contains(part);
        }
        assertThat(run.err()).as("no stack trace: " + c).doesNotContain("\tat ");
        assertThat(run.out()).as("nothing printed as a result: " + c).doesNotContain("top-1").doesNotContain("wrote ");
        assertThat(run.err()).as("no image decoded, no batch run: " + c).doesNotContain("100%");
        if (c.mustNotExist() != null) {
            assertThat(c.mustNotExist()).as(c.toString()).doesNotExist();
        }
    }

    @Test
    void withSkipBadImagesEveryCommandThatAcceptsItSkipsCountsAndNamesTheTruncatedFile() throws IOException {
        Path out = tmp.resolve("skipping");
        List<List<String>> runs = List.of(
                args("train", "--data", truncatedFolder, "--width", "0.25", "--train-res", "16", "--epochs", "1",
                        "--batch-size", "4", "--no-validate", "--out", out.resolve("train")),
                args("evaluate", "--model", rgbModel, "--data", truncatedFolder, "--test-res", "16,20"),
                args("finetune", "--model", rgbModel, "--data", truncatedFolder, "--test-res", "20", "--epochs", "1",
                        "--batch-size", "4", "--timing-steps", "0", "--out", out.resolve("finetune")),
                args("fit", "--model", rgbModel, "--data", truncatedFolder, "--test-res", "16"),
                args("sweep", "--model", rgbModel, "--data", truncatedFolder, "--from", "16", "--to", "18",
                        "--out", out.resolve("sweep")),
                args("recalibrate", "--model", rgbModel, "--data", truncatedFolder, "--test-res", "20",
                        "--out", out.resolve("recalibrate")));
        for (List<String> a : runs) {
            List<String> withFlag = new ArrayList<>(a);
            withFlag.add("--skip-bad-images");
            CliRun run = CliRun.of(withFlag.toArray(String[]::new));
            assertThat(run.exitCode()).as(withFlag + "\n" + run.err()).isZero();
            String command = a.get(0);
            // finetune and recalibrate read both splits (statistics or training on train/, accuracy on val/)
            boolean bothSplits = command.equals("finetune") || command.equals("recalibrate");
            List<Path> skipped = command.equals("train") ? List.of(truncatedTrainImage)
                    : bothSplits ? List.of(truncatedTrainImage, truncatedValImage) : List.of(truncatedValImage);
            assertThat(run.err()).as(command).contains("fixres " + command + ": skipped " + skipped.size()
                    + " unreadable image" + (skipped.size() == 1 ? "" : "s") + " (--skip-bad-images):");
            for (Path file : skipped) {
                assertThat(run.err()).as(command).contains("  image " + file + " is truncated");
            }
        }
    }

    @Test
    void skipBadImagesIsOfferedExactlyWhereItWorks() {
        for (String command : List.of("train", "finetune", "fit", "sweep", "evaluate", "recalibrate")) {
            assertThat(CliRun.of(command, "--help").out()).as(command).contains("--skip-bad-images");
        }
        for (String command : List.of("grid", "ablation", "adapt", "suggest", "bench")) {
            assertThat(CliRun.of(command, "--help").out()).as(command).doesNotContain("--skip-bad-images");
        }
        CliRun refused = CliRun.of("grid", "--train-res", "16", "--test-res", "16", "--out", tmp.resolve("g").toString(),
                "--skip-bad-images");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("Unknown option: '--skip-bad-images'");
        assertThat(tmp.resolve("g")).doesNotExist();
    }

    @Test
    void nonAsciiClassAndFileNamesAreReadAndEvaluated() {
        CliRun run = CliRun.of("evaluate", "--model", rgbModel.toString(), "--data", folder.toString(), "--test-res", "16");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("best: test 16 px");
        assertThat(Path.of(folder.resolve("val/Äpfel/bild-é0.png").toString())).isRegularFile(); // the name round-trips
    }

    @Test
    void aCorruptStageFileIsNamedInTheMessage() throws IOException {
        Path runs = Files.createDirectories(tmp.resolve("report/runs"));
        Path table7 = Files.writeString(runs.resolve("table7.json"), "[1, 2, garbage");
        UncheckedIOException failure = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> new StageCache(runs, false).json("table7", new TypeReference<List<Integer>>() {}, List::of),
                UncheckedIOException.class);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = new CommandLine(new ReproduceCommand())
                .setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        int code = new ErrorReporter().handleExecutionException(failure, cli, null);
        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(1);
        assertThat(message).startsWith("fixres reproduce: error: stage table7 (" + table7 + "): ")
                .contains("Unrecognized token 'garbage'").doesNotContain("\tat ");
    }

    private static List<String> args(Object... parts) {
        return new ArrayList<>(Arrays.stream(parts).map(String::valueOf).toList());
    }

    /** A safetensors file whose 8-byte header length says 2^31, as in the issue. */
    private static Path hostileSafetensors(Path file) throws IOException {
        byte[] header = "{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}".getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(8 + header.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(1L << 31).put(header).putFloat(1f);
        return Files.write(file, bytes.array());
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else if (!Files.exists(target)) {
                    Files.copy(source, target);
                }
            }
        }
        return to;
    }
}
