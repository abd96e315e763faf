package io.fixres.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.fixres.io.AtomicFiles;
import io.fixres.io.Json;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A state dict on disk: tensors keyed by torchvision names ({@code layer4.2.bn3.running_mean}).
 * Reads safetensors (what timm publishes, and what {@link Checkpoint} writes as
 * {@code model.params}) and NumPy {@code .npz} archives of named arrays, both through DJL's
 * {@link NDList#decode}; writes safetensors, which PyTorch reads with
 * {@code safetensors.torch.load_file}.
 *
 * <p>PyTorch's own {@code .pth}/{@code .pt} files are pickles, and unpickling runs arbitrary
 * code: they are refused, with the one-line Python conversion in the message.
 */
public final class StateDictFile {

    /** How to turn a PyTorch pickle into a file this class reads; part of every refusal. */
    public static final String HOW_TO_CONVERT = "convert it in Python without fixres: "
            + "import torch; from safetensors.torch import save_file; "
            + "save_file(torch.load(\"m.pth\", map_location=\"cpu\"), \"m.safetensors\") "
            + "(unwrap a {'model': state_dict} or {'state_dict': ...} dictionary first; "
            + "without the safetensors package: numpy.savez(\"m.npz\", **{k: v.numpy() for k, v in sd.items()}))";

    private static final Set<String> PICKLE_EXTENSIONS = Set.of("pth", "pt", "pkl", "ckpt", "bin", "tar");
    private static final int PICKLE_PROTOCOL_OPCODE = 0x80;
    /** The safetensors reference implementation's own limit on the JSON header (100 MB). */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final Map<String, Integer> DTYPE_BYTES = Map.ofEntries(Map.entry("F64", 8), Map.entry("F32", 4),
            Map.entry("F16", 2), Map.entry("BF16", 2), Map.entry("I64", 8), Map.entry("I32", 4), Map.entry("I16", 2),
            Map.entry("I8", 1), Map.entry("U8", 1), Map.entry("BOOL", 1));

    /** The formats {@link #read} accepts, recognised by content. */
    public enum Format { SAFETENSORS, NPZ }

    private StateDictFile() {}

    /**
     * Reads every named tensor of {@code file} into {@code manager}, in file order.
     *
     * @throws CheckpointException naming the file when it is a PyTorch pickle (with how to convert
     *     it), is neither safetensors nor npz, is truncated or malformed, or holds an unnamed or
     *     repeated tensor
     */
    public static LinkedHashMap<String, NDArray> read(NDManager manager, Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("weights file " + file + " does not exist or is not a file");
        }
        refusePickleByName(file);
        Format format = detect(file);
        if (format == Format.NPZ) {
            checkNpzEntries(file);
        } else {
            checkSafetensorsLayout(file);
        }
        NDList list;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            list = NDList.decode(manager, in);
        } catch (RuntimeException e) { // DJL's parsers throw IllegalArgument/State, Gson, arithmetic exceptions
            throw new CheckpointException(file + " is not a readable " + format.name().toLowerCase(Locale.ROOT)
                    + " file: " + describe(e), e);
        }
        LinkedHashMap<String, NDArray> tensors = new LinkedHashMap<>();
        for (NDArray array : list) {
            if (array.getName() == null || tensors.put(array.getName(), array) != null) {
                throw new CheckpointException(file + " has an unnamed or repeated tensor '" + array.getName()
                        + "'; every tensor needs its state-dict key (npz: save with numpy.savez(f, **state_dict))");
            }
        }
        return tensors;
    }

    /**
     * Writes {@code net}'s tensors as safetensors, keyed like torchvision's {@code state_dict()}
     * (data in state-dict order; DJL writes the JSON header in hash order, which readers ignore),
     * without {@code num_batches_tracked}: PyTorch's BatchNorm fills that
     * counter in when it is absent, so {@code load_state_dict(strict=True)} accepts the file.
     */
    public static void writeSafetensors(ResNet net, OutputStream out) throws IOException {
        LinkedHashMap<String, NDArray> tensors = new LinkedHashMap<>();
        net.stateDict().forEach((key, parameter) -> tensors.put(key, parameter.getArray()));
        writeSafetensors(tensors, out);
    }

    /** Writes the tensors as safetensors under their keys (data in map order); the arrays keep their own names. */
    public static void writeSafetensors(Map<String, NDArray> tensors, OutputStream out) throws IOException {
        // DJL names each safetensors entry after its array: lend each array its key while encoding
        NDList list = new NDList();
        List<String> originalNames = new ArrayList<>();
        try {
            for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
                NDArray array = entry.getValue();
                originalNames.add(array.getName());
                array.setName(entry.getKey());
                list.add(array);
            }
            list.encode(out, NDList.Encoding.SAFETENSORS);
        } finally {
            for (int i = 0; i < originalNames.size(); i++) {
                list.get(i).setName(originalNames.get(i));
            }
        }
    }

    /** {@link #writeSafetensors(ResNet, OutputStream)} to {@code file}, atomically. */
    public static void writeSafetensors(ResNet net, Path file) throws IOException {
        AtomicFiles.write(file, out -> writeSafetensors(net, out));
    }

    /** The format of {@code file} from its first bytes. */
    public static Format detect(Path file) throws IOException {
        byte[] head = new byte[9];
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            in.readFully(head);
        } catch (EOFException e) {
            throw new CheckpointException(file + " is too short (" + Files.size(file)
                    + " bytes) to be a safetensors or npz file");
        }
        if ((head[0] & 0xff) == PICKLE_PROTOCOL_OPCODE) {
            throw new CheckpointException(file + " is a Python pickle (a legacy torch.save file); fixres never"
                    + " unpickles, since loading a pickle runs arbitrary code: " + HOW_TO_CONVERT);
        }
        if (head[0] == 'P' && head[1] == 'K') {
            return Format.NPZ;
        }
        // safetensors: an 8-byte little-endian header length, then the JSON header
        if (head[8] == '{') {
            return Format.SAFETENSORS;
        }
        throw new CheckpointException(file + " is neither a safetensors file (8-byte header length, then '{')"
                + " nor an npz archive (a ZIP of .npy arrays)");
    }

    /**
     * Checks a safetensors file's layout before DJL reads it, since DJL allocates what the file
     * claims: the 8-byte header length must fit in the file and below {@link #MAX_HEADER_BYTES},
     * and every tensor's {@code data_offsets} must lie in the data section and match its dtype and
     * shape. A hostile length (2^31) would otherwise be an OutOfMemoryError with no file named.
     */
    static void checkSafetensorsLayout(Path file) throws IOException {
        long fileSize = Files.size(file);
        long headerLength;
        byte[] header;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            byte[] length = in.readNBytes(8);
            headerLength = ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength < 2 || headerLength > fileSize - 8 || headerLength > MAX_HEADER_BYTES) {
                throw new CheckpointException(String.format(Locale.ROOT, "%s is not a valid safetensors file: its"
                                + " header length says %,d bytes but the file holds %,d bytes after the length field"
                                + " (and a header may be at most %,d bytes)", file, headerLength, fileSize - 8,
                        MAX_HEADER_BYTES));
            }
            header = in.readNBytes((int) headerLength);
        }
        JsonNode root;
        try {
            root = Json.mapper().readTree(header);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CheckpointException(file + " is not a valid safetensors file: its header is not JSON ("
                    + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException(file + " is not a valid safetensors file: its header is not a JSON object");
        }
        long dataBytes = fileSize - 8 - headerLength;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().equals("__metadata__")) {
                continue;
            }
            checkTensorEntry(file, entry.getKey(), entry.getValue(), dataBytes);
        }
    }

    private static void checkTensorEntry(Path file, String key, JsonNode tensor, long dataBytes) {
        JsonNode offsets = tensor.path("data_offsets");
        JsonNode shape = tensor.path("shape");
        if (!offsets.isArray() || offsets.size() != 2 || !offsets.get(0).canConvertToLong()
                || !offsets.get(1).canConvertToLong() || !shape.isArray()) {
            throw new CheckpointException(file + ": tensor '" + key + "' has no valid data_offsets [begin, end]"
                    + " and shape in the safetensors header");
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (begin < 0 || end < begin || end > dataBytes) {
            throw new CheckpointException(String.format(Locale.ROOT, "%s: tensor '%s' has data_offsets [%d, %d]"
                    + " outside the file's %,d bytes of tensor data", file, key, begin, end, dataBytes));
        }
        Integer elementBytes = DTYPE_BYTES.get(tensor.path("dtype").asText());
        if (elementBytes != null) {
            long elements = 1;
            for (JsonNode dim : shape) {
                if (!dim.canConvertToLong() || dim.asLong() < 0) {
                    throw new CheckpointException(file + ": tensor '" + key + "' has an invalid shape " + shape);
                }
                elements = Math.multiplyHigh(elements, dim.asLong()) != 0 ? Long.MAX_VALUE : elements * dim.asLong();
            }
            if (elements == Long.MAX_VALUE || elements * elementBytes != end - begin) {
                throw new CheckpointException(String.format(Locale.ROOT, "%s: tensor '%s' of shape %s and dtype %s"
                        + " needs %s bytes but its data_offsets [%d, %d] span %d", file, key, shape,
                        tensor.path("dtype").asText(), elements == Long.MAX_VALUE ? "more than 2^63"
                                : String.valueOf(elements * elementBytes), begin, end, end - begin));
            }
        }
    }

    private static void refusePickleByName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (PICKLE_EXTENSIONS.contains(extension)) {
            throw new CheckpointException(file + " looks like a PyTorch pickle (." + extension + "); fixres reads"
                    + " only .safetensors and .npz, because loading a pickle runs arbitrary code: " + HOW_TO_CONVERT);
        }
    }

    /** torch.save since 1.6 writes a ZIP too (archive/data.pkl): tell it apart from an npz before decoding. */
    private static void checkNpzEntries(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.endsWith(".pkl")) {
                    throw new CheckpointException(file + " is a torch.save archive (it holds " + name + ", a pickle);"
                            + " fixres never unpickles, since loading a pickle runs arbitrary code: " + HOW_TO_CONVERT);
                }
                if (!name.endsWith(".npy")) {
                    throw new CheckpointException(file + " is a ZIP archive but not an npz: entry " + name
                            + " is not a .npy array");
                }
            }
        } catch (ZipException e) {
            throw new CheckpointException(file + " starts like a ZIP/npz archive but cannot be read as one: "
                    + e.getMessage(), e);
        }
    }

    private static String describe(Throwable e) {
        StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null && cause != e; cause = cause.getCause()) {
            out.append(" (").append(cause instanceof EOFException ? "file ends early" : cause.toString()).append(')');
        }
        return out.toString();
    }
}
