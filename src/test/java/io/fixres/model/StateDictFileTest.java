package io.fixres.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and writing state-dict files; pickles are refused without being parsed. */
class StateDictFileTest {
    @TempDir
    Path tmp;
    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /** A safetensors file laid out by hand: header length, JSON, little-endian data. */
    private Path handWrittenSafetensors(String header, float... values) throws Exception {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = ByteBuffer.allocate(8 + json.length + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(json.length).put(json);
        for (float v : values) {
            buf.putFloat(v);
        }
        Path file = tmp.resolve("hand.safetensors");
        Files.write(file, buf.array());
        return file;
    }

    @Test
    void readsASafetensorsFileWrittenByHandInFileOrderWithAMetadataEntry() throws Exception {
        Path file = handWrittenSafetensors("{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"a.weight\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[8,16]}}", 1f, 2f, -3.5f, 4f);
        assertThat(StateDictFile.detect(file)).isEqualTo(StateDictFile.Format.SAFETENSORS);
        LinkedHashMap<String, NDArray> tensors = StateDictFile.read(manager, file);
        assertThat(tensors.keySet()).containsExactly("b", "a.weight");
        assertThat(tensors.get("b").toFloatArray()).containsExactly(1f, 2f);
        assertThat(tensors.get("a.weight").getShape()).isEqualTo(new Shape(1, 2));
        assertThat(tensors.get("a.weight").toFloatArray()).containsExactly(-3.5f, 4f);
    }

    @Test
    void writesWhatItReadsWithoutRenamingTheArrays() throws Exception {
        NDArray a = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(2, 3));
        a.setName("weight");
        NDArray counter = manager.create(7L);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("layer1.0.conv1.weight", a);
        tensors.put("bn1.num_batches_tracked", counter);
        Path file = tmp.resolve("w.safetensors");
        try (OutputStream out = Files.newOutputStream(file)) {
            StateDictFile.writeSafetensors(tensors, out);
        }
        assertThat(a.getName()).isEqualTo("weight");
        Map<String, NDArray> back = StateDictFile.read(manager, file);
        assertThat(back.get("layer1.0.conv1.weight").getShape()).isEqualTo(new Shape(2, 3));
        assertThat(back.get("layer1.0.conv1.weight").toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(back.get("bn1.num_batches_tracked").getDataType()).isEqualTo(DataType.INT64);
        assertThat(back.get("bn1.num_batches_tracked").getLong()).isEqualTo(7L);
    }

    @Test
    void pthFilesAreRefusedByNameWithTheConversionRecipe() throws Exception {
        Path file = tmp.resolve("resnet50.pth");
        Files.write(file, new byte[64]);
        assertThatThrownBy(() -> StateDictFile.read(manager, file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file + " looks like a PyTorch pickle (.pth); fixres reads only .safetensors"
                        + " and .npz, because loading a pickle runs arbitrary code: convert it in Python")
                .hasMessageContaining("from safetensors.torch import save_file")
                .hasMessageContaining("save_file(torch.load(\"m.pth\", map_location=\"cpu\"), \"m.safetensors\")");
    }

    @Test
    void aPickleUnderAnotherNameIsRefusedByItsFirstByte() throws Exception {
        Path file = tmp.resolve("weights.safetensors");
        Files.write(file, new byte[] {(byte) 0x80, 2, '}', 'q', 0, 'X', 1, 0, 0, 0, 'a'}); // pickle protocol 2
        assertThatThrownBy(() -> StateDictFile.read(manager, file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file + " is a Python pickle (a legacy torch.save file); fixres never unpickles")
                .hasMessageContaining(StateDictFile.HOW_TO_CONVERT);
    }

    @Test
    void aTorchSaveZipArchiveIsRefusedBeforeAnyEntryIsParsed() throws Exception {
        Path file = tmp.resolve("model.npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(new byte[] {(byte) 0x80, 2});
            zip.putNextEntry(new ZipEntry("archive/data/0"));
            zip.write(new byte[16]);
        }
        assertThatThrownBy(() -> StateDictFile.read(manager, file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file + " is a torch.save archive (it holds archive/data.pkl, a pickle)");
    }

    @Test
    void aZipOfOtherFilesIsNotAnNpz() throws Exception {
        Path file = tmp.resolve("x.npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("readme.txt"));
            zip.write("hi".getBytes(StandardCharsets.UTF_8));
        }
        assertThatThrownBy(() -> StateDictFile.read(manager, file))
                .hasMessage(file + " is a ZIP archive but not an npz: entry readme.txt is not a .npy array");
    }

    @Test
    void otherContentIsNeitherFormat() throws Exception {
        Path file = tmp.resolve("x.safetensors");
        Files.writeString(file, "hello, world: not weights");
        assertThatThrownBy(() -> StateDictFile.read(manager, file))
                .hasMessage(file + " is neither a safetensors file (8-byte header length, then '{') nor an npz"
                        + " archive (a ZIP of .npy arrays)");
        Files.write(file, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> StateDictFile.read(manager, file))
                .hasMessage(file + " is too short (3 bytes) to be a safetensors or npz file");
        assertThatThrownBy(() -> StateDictFile.read(manager, tmp.resolve("none.safetensors")))
                .hasMessage("weights file " + tmp.resolve("none.safetensors") + " does not exist or is not a file");
    }

    @Test
    void aTruncatedSafetensorsFileIsNamed() throws Exception {
        Path file = handWrittenSafetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 1f, 2f);
        assertThatThrownBy(() -> StateDictFile.read(manager, file))
                .isInstanceOf(CheckpointException.class)
                .hasMessage(file + ": tensor 'w' has data_offsets [0, 16] outside the file's 8 bytes of tensor data");
    }

    @Test
    void aHeaderLengthLargerThanTheFileIsRefusedBeforeAllocating() throws Exception {
        Path file = handWrittenSafetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 1f);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 1L << 31); // what the hostile file said
        Files.write(file, bytes);
        assertThatThrownBy(() -> StateDictFile.read(manager, file))
                .isInstanceOf(CheckpointException.class)
                .hasMessage(file + " is not a valid safetensors file: its header length says 2,147,483,648 bytes but"
                        + " the file holds " + String.format("%,d", bytes.length - 8) + " bytes after the length field"
                        + " (and a header may be at most 100,000,000 bytes)");
    }

    @Test
    void tensorOffsetsMustMatchTheShapeAndLieInTheData() throws Exception {
        Path negative = handWrittenSafetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 1f);
        assertThatThrownBy(() -> StateDictFile.read(manager, negative))
                .hasMessage(negative + ": tensor 'w' has data_offsets [-4, 0] outside the file's 4 bytes of tensor data");
        Path wrongSize = handWrittenSafetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[1000000,1000000],"
                + "\"data_offsets\":[0,8]}}", 1f, 2f);
        assertThatThrownBy(() -> StateDictFile.read(manager, wrongSize))
                .hasMessage(wrongSize + ": tensor 'w' of shape [1000000,1000000] and dtype F32 needs 4000000000000 bytes"
                        + " but its data_offsets [0, 8] span 8");
        Path notJson = handWrittenSafetensors("{\"w\": nope}", 1f);
        assertThatThrownBy(() -> StateDictFile.read(manager, notJson))
                .hasMessageStartingWith(notJson + " is not a valid safetensors file: its header is not JSON");
    }

    @Test
    void anUnknownDtypeIsNamed() throws Exception {
        Path file = handWrittenSafetensors("{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[4],\"data_offsets\":[0,4]}}", 1f);
        assertThatThrownBy(() -> StateDictFile.read(manager, file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file + " is not a readable safetensors file: ")
                .hasMessageContaining("F8_E4M3");
    }

    @Test
    void unnamedNpzArraysAreRefused() throws Exception {
        // numpy.savez(f, array) without a keyword names the entry arr_0.npy
        Path file = tmp.resolve("unnamed.npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("arr_0.npy"));
            zip.write(npy("<f4", "(2,)", new byte[8]));
        }
        assertThatThrownBy(() -> StateDictFile.read(manager, file))
                .hasMessageStartingWith(file + " has an unnamed or repeated tensor 'null'");
    }

    /** A version-1.0 .npy file: magic, header padded to 128 bytes, data. */
    private static byte[] npy(String descr, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int headerLength = 128 - 10;
        String header = dict + " ".repeat(headerLength - dict.length() - 1) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(10 + headerLength + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        buf.putShort((short) headerLength).put(header.getBytes(StandardCharsets.US_ASCII)).put(data);
        return buf.array();
    }
}
