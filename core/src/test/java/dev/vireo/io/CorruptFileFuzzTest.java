/*
 * The corrupt-file suite: seeded valid GGUF files (many metadata types, nested arrays, strings, plain
 * and quantized tensors) and safetensors files (single and sharded with an index) are truncated at
 * every structural boundary, have their length/count/type/offset fields overwritten with extreme
 * values, fields swapped, bits flipped and bytes overwritten, and every variant goes through open and a
 * full traversal (all metadata decoded, every tensor viewed, its first and last byte read, a row
 * decoded with the reference codec). The only acceptable outcomes are success and
 * ModelFormatException: no other exception, no OutOfMemoryError, no hang (timeouts).
 *
 * Everything runs in memory. The default run takes a few seconds; the @Tag("slow") run mutates ten
 * times as many variants. Set -Dvireo.fuzz.seed=N to explore other seeds.
 */
package dev.vireo.io;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vireo.tensor.Tensor;
import dev.vireo.tensor.quant.Codecs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class CorruptFileFuzzTest {
    private static final long SEED = Long.getLong("vireo.fuzz.seed", 20250601L);

    /** One corrupted file image and how it was made (printed on failure). */
    record Mutant(String how, byte[] bytes) {}

    /** Parses and traverses one image; may throw ModelFormatException (or, for shards, NoSuchFileException). */
    interface Check {
        void run(byte[] bytes) throws Exception;
    }

    /** Outcome counts and the first unexpected failures. */
    static final class Tally {
        int ok, rejected;
        long slowestNanos;
        String slowest = "";
        final List<String> failures = new ArrayList<>();

        void run(Mutant m, Check check, Class<? extends Exception> alsoAllowed) {
            long t0 = System.nanoTime();
            try {
                check.run(m.bytes);
                ok++;
            } catch (ModelFormatException e) {
                rejected++;
                if (e.getMessage() == null || e.getMessage().isBlank()) {
                    failures.add(m.how + ": ModelFormatException without a message");
                }
            } catch (Throwable e) {
                if (alsoAllowed != null && alsoAllowed.isInstance(e)) {
                    rejected++;
                } else if (failures.size() < 10) {
                    StringWriter sw = new StringWriter();
                    e.printStackTrace(new PrintWriter(sw));
                    failures.add(m.how + ": " + sw);
                } else {
                    failures.add(m.how + ": " + e);
                }
            }
            long dt = System.nanoTime() - t0;
            if (dt > slowestNanos) {
                slowestNanos = dt;
                slowest = m.how;
            }
        }

        void assertClean(String what) {
            System.out.printf("%s: %d variants, %d opened, %d rejected, slowest %.2f ms (%s)%n", what, ok + rejected, ok,
                    rejected, slowestNanos / 1e6, slowest);
            if (!failures.isEmpty()) {
                fail(failures.size() + " of " + (ok + rejected) + " " + what + " variants failed with something other"
                        + " than ModelFormatException; first:\n" + String.join("\n", failures.subList(0,
                        Math.min(5, failures.size()))));
            }
            assertTrue(slowestNanos < TimeUnit.SECONDS.toNanos(2), "slowest variant took " + slowestNanos / 1e6
                    + " ms: " + slowest);
            assertTrue(rejected > 0 && ok > 0, "the mutations should produce both outcomes");
        }
    }

    // ---- traversal

    /** Reads everything a loader or `vireo info` could read. */
    static void traverse(GgufFile f) {
        GgufMetadata m = f.metadata();
        for (String key : m.keys()) {
            m.value(key, 16);
            m.typeDescription(key);
            GgufValueType t = m.type(key).orElseThrow();
            tolerate(() -> {
                switch (t) {
                    case STRING -> m.getString(key);
                    case BOOL -> m.getBool(key);
                    case FLOAT32, FLOAT64 -> m.getDouble(key);
                    case ARRAY -> {
                        GgufValueType et = m.arrayElementType(key).orElseThrow();
                        if (et == GgufValueType.STRING) {
                            m.getStringArray(key);
                            m.getStringArrayBytes(key);
                        } else if (et.isInteger()) {
                            m.getIntArray(key);
                        } else if (et.isFloat()) {
                            m.getFloatArray(key);
                        } else if (et == GgufValueType.BOOL) {
                            m.getBoolArray(key);
                        } else {
                            m.value(key);
                        }
                    }
                    default -> m.getLong(key);
                }
            });
            tolerate(() -> m.getInt(key));
        }
        for (GgufTensorInfo info : f.tensorInfos()) {
            info.shape();
            info.typeName();
            tolerate(() -> touch(f.find(info.name()).orElseThrow()));
        }
        tolerate(() -> touch(f.require("blk.0.weight")));
    }

    static void traverse(TensorSource s) {
        for (String name : s.names()) {
            tolerate(() -> touch(s.require(name)));
        }
    }

    /** Reads the first and last byte and decodes the first row. */
    static void touch(Tensor t) {
        MemorySegment d = t.data();
        if (d.byteSize() > 0) {
            d.get(ValueLayout.JAVA_BYTE, 0);
            d.get(ValueLayout.JAVA_BYTE, d.byteSize() - 1);
            Codecs.decoder(t.type()).decode(d, 0, t.cols());
        }
    }

    private static void tolerate(Runnable r) {
        try {
            r.run();
        } catch (ModelFormatException expected) {
            // A typed getter on the wrong type, an unreadable tensor: fine, the test is about everything else.
        }
    }

    // ---- GGUF

    static Check ggufCheck() {
        return bytes -> traverse(GgufFile.parse(MemorySegment.ofArray(bytes), "fuzz.gguf"));
    }

    private static final long[] EXTREME_U64 = {0, 1, -1L, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32, 0xFFFF_FFFFL,
        1L << 40, 63, 64, 65, 7, 8, 12, 256};
    private static final long[] EXTREME_U32 = {0, 1, 0xFFFF_FFFFL, 0x7FFF_FFFFL, 0x8000_0000L, 2, 3, 4, 5, 8, 9, 12,
        13, 31, 39, 40, 43, 1000};

    /** Mutants of one valid GGUF image. */
    static List<Mutant> ggufMutants(GgufWriter w, Random rnd, int randomCount) {
        byte[] valid = w.toByteArray();
        GgufWriter.Header header = w.header();
        List<GgufWriter.Field> fields = header.fields();
        List<Mutant> out = new ArrayList<>();
        out.add(new Mutant("valid", valid));

        // Truncation at every structural boundary: each header field's start and end, the data
        // section's start, each tensor's start and end, and one byte either side of some of them.
        TreeSet<Long> cuts = new TreeSet<>();
        for (GgufWriter.Field f : fields) {
            cuts.add(f.offset());
            cuts.add(f.offset() + f.width());
        }
        cuts.add((long) header.bytes().length);
        GgufFile parsed = GgufFile.parse(MemorySegment.ofArray(valid), "valid");
        for (GgufTensorInfo t : parsed.tensorInfos()) {
            cuts.add(parsed.dataOffset() + t.offset());
            cuts.add(parsed.dataOffset() + t.offset() + t.byteSize());
            cuts.add(parsed.dataOffset() + t.offset() + t.byteSize() - 1);
        }
        for (long c : cuts) {
            if (c < valid.length) {
                out.add(new Mutant("truncated at " + c, Arrays.copyOf(valid, (int) c)));
            }
        }

        // Every field overwritten with extreme values (a random few of them for long headers).
        for (GgufWriter.Field f : fields) {
            long[] values = f.width() == 8 ? EXTREME_U64 : EXTREME_U32;
            int tries = Math.min(values.length, 3);
            for (int i = 0; i < tries; i++) {
                long v = values[rnd.nextInt(values.length)];
                out.add(new Mutant(f.what() + " @" + f.offset() + " = " + Long.toUnsignedString(v),
                        withField(valid, f, v)));
            }
            if (f.width() == 8) {
                long v = valid.length - f.offset() + rnd.nextInt(3) - 1; // "just enough" / one too many
                out.add(new Mutant(f.what() + " @" + f.offset() + " = remaining " + v, withField(valid, f, v)));
            }
        }

        // Two fields at once (a zero dimension next to a giant one, a count with a length, ...).
        for (int i = 0; i < randomCount / 4; i++) {
            GgufWriter.Field a = fields.get(rnd.nextInt(fields.size()));
            GgufWriter.Field b = fields.get(rnd.nextInt(fields.size()));
            long va = (a.width() == 8 ? EXTREME_U64 : EXTREME_U32)[rnd.nextInt(a.width() == 8 ? EXTREME_U64.length
                    : EXTREME_U32.length)];
            long vb = (b.width() == 8 ? EXTREME_U64 : EXTREME_U32)[rnd.nextInt(b.width() == 8 ? EXTREME_U64.length
                    : EXTREME_U32.length)];
            out.add(new Mutant(a.what() + " @" + a.offset() + " = " + Long.toUnsignedString(va) + " and " + b.what()
                    + " @" + b.offset() + " = " + Long.toUnsignedString(vb), withField(withField(valid, a, va), b, vb)));
        }

        // Tensor shapes rewritten as a whole: zeros beside giants, overflowing products.
        List<List<GgufWriter.Field>> shapes = new ArrayList<>();
        for (GgufWriter.Field f : fields) {
            if (f.what().equals("tensor dimension count")) {
                shapes.add(new ArrayList<>());
            } else if (f.what().equals("tensor dimension")) {
                shapes.getLast().add(f);
            }
        }
        shapes.removeIf(List::isEmpty);
        long[] dimValues = {0, 1, 2, 32, 256, 1L << 31, 1L << 32, 1L << 40, 1L << 62, Long.MAX_VALUE, -1L};
        for (int i = 0; i < randomCount / 4 && !shapes.isEmpty(); i++) {
            byte[] m = valid;
            StringBuilder how = new StringBuilder("dimensions");
            for (GgufWriter.Field f : shapes.get(rnd.nextInt(shapes.size()))) {
                if (rnd.nextBoolean()) {
                    long v = dimValues[rnd.nextInt(dimValues.length)];
                    m = withField(m, f, v);
                    how.append(" @").append(f.offset()).append("=").append(Long.toUnsignedString(v));
                }
            }
            out.add(new Mutant(how.toString(), m));
        }

        // Swapped fields of the same width (dimensions, offsets, types, lengths).
        for (int i = 0; i < randomCount / 4 && fields.size() > 1; i++) {
            GgufWriter.Field a = fields.get(rnd.nextInt(fields.size()));
            GgufWriter.Field b = fields.get(rnd.nextInt(fields.size()));
            if (a.width() == b.width() && a.offset() != b.offset()) {
                byte[] m = valid.clone();
                System.arraycopy(valid, (int) a.offset(), m, (int) b.offset(), a.width());
                System.arraycopy(valid, (int) b.offset(), m, (int) a.offset(), a.width());
                out.add(new Mutant("swapped " + a.what() + " @" + a.offset() + " and " + b.what() + " @" + b.offset(), m));
            }
        }

        // Random damage, mostly in the header where the structure is.
        int headerLength = header.bytes().length;
        for (int i = 0; i < randomCount; i++) {
            byte[] m = valid.clone();
            String how;
            int where = rnd.nextInt(4) == 0 ? m.length : headerLength;
            switch (rnd.nextInt(5)) {
                case 0 -> {
                    int flips = 1 + rnd.nextInt(8);
                    for (int k = 0; k < flips; k++) {
                        int at = rnd.nextInt(where);
                        m[at] ^= (byte) (1 << rnd.nextInt(8));
                    }
                    how = flips + " bit flips";
                }
                case 1 -> {
                    int at = rnd.nextInt(where);
                    int n = 1 + rnd.nextInt(8);
                    byte fill = new byte[] {(byte) 0xFF, 0, 0x7F, (byte) 0x80}[rnd.nextInt(4)];
                    Arrays.fill(m, at, Math.min(m.length, at + n), fill);
                    how = n + " bytes of " + (fill & 0xFF) + " at " + at;
                }
                case 2 -> {
                    int at = rnd.nextInt(where);
                    int n = 1 + rnd.nextInt(16);
                    for (int k = at; k < Math.min(m.length, at + n); k++) {
                        m[k] = (byte) rnd.nextInt(256);
                    }
                    how = n + " random bytes at " + at;
                }
                case 3 -> {
                    int at = rnd.nextInt(headerLength);
                    int n = 1 + rnd.nextInt(8);
                    byte[] cut = new byte[m.length - Math.min(n, m.length - at)];
                    System.arraycopy(m, 0, cut, 0, at);
                    System.arraycopy(m, at + (m.length - cut.length), cut, at, cut.length - at);
                    m = cut;
                    how = n + " bytes deleted at " + at;
                }
                default -> {
                    int at = rnd.nextInt(headerLength);
                    int n = 1 + rnd.nextInt(8);
                    byte[] grown = new byte[m.length + n];
                    System.arraycopy(m, 0, grown, 0, at);
                    for (int k = 0; k < n; k++) {
                        grown[at + k] = (byte) rnd.nextInt(256);
                    }
                    System.arraycopy(m, at, grown, at + n, m.length - at);
                    m = grown;
                    how = n + " bytes inserted at " + at;
                }
            }
            out.add(new Mutant(how, m));
        }
        return out;
    }

    private static byte[] withField(byte[] valid, GgufWriter.Field f, long value) {
        byte[] m = valid.clone();
        for (int i = 0; i < f.width(); i++) {
            m[(int) f.offset() + i] = (byte) (value >>> (8 * i));
        }
        return m;
    }

    static Tally runGguf(long seed, int files, int randomPerFile) {
        Tally tally = new Tally();
        Check check = ggufCheck();
        for (int i = 0; i < files; i++) {
            long fileSeed = seed * 1_000_003 + i;
            Random rnd = new Random(fileSeed);
            for (Mutant m : ggufMutants(ModelFiles.randomGguf(fileSeed), rnd, randomPerFile)) {
                tally.run(new Mutant("gguf seed " + fileSeed + ": " + m.how, m.bytes), check, null);
            }
        }
        return tally;
    }

    // ---- safetensors

    static Check safeTensorsCheck() {
        return bytes -> {
            SafeTensorsFile f = SafeTensorsFile.parse(MemorySegment.ofArray(bytes), "fuzz.safetensors");
            f.metadata();
            traverse(f);
        };
    }

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private static final String[] EXTREME_NUMBERS = {"-1", "0", "18446744073709551615", "9223372036854775807",
        "9223372036854775808", "1e308", "1.5", "4294967296", "99999999999999999999999999999", "-0"};
    private static final String[] DTYPES = {"F32", "F16", "BF16", "U8", "I8", "I16", "I32", "I64", "F64", "BOOL",
        "F8_E4M3", "F4", "F6_E2M3", "C64", "Q4_0", "", "f32"};

    /** Mutants of one valid safetensors image. */
    static List<Mutant> safeTensorsMutants(ModelFiles.SafeTensorsBuilder b, Random rnd, int randomCount) {
        byte[] valid = b.build();
        byte[] data = b.data();
        String json = b.header().toString();
        byte[] jsonBytes = json.getBytes(StandardCharsets.UTF_8);
        int headerEnd = valid.length - data.length;
        List<Mutant> out = new ArrayList<>();
        out.add(new Mutant("valid", valid));

        // Truncation: inside the length field, at every JSON token boundary, and in the data.
        for (int c = 0; c <= 8; c++) {
            out.add(new Mutant("truncated at " + c, Arrays.copyOf(valid, c)));
        }
        for (int i = 0; i < jsonBytes.length; i++) {
            if ("{}[],:\"".indexOf(jsonBytes[i]) >= 0) {
                out.add(new Mutant("truncated at " + (8 + i), Arrays.copyOf(valid, 8 + i)));
            }
        }
        for (int c = headerEnd; c < valid.length; c += Math.max(1, data.length / 4)) {
            out.add(new Mutant("truncated in data at " + c, Arrays.copyOf(valid, c)));
        }

        // The header length field.
        long n = headerEnd - 8;
        for (long v : new long[] {0, 1, 2, n - 1, n + 1, valid.length - 8, valid.length - 7, valid.length, -1L,
                Long.MAX_VALUE, Long.MIN_VALUE, SafeTensorsFile.MAX_HEADER_BYTES + 1, 1L << 32}) {
            byte[] m = valid.clone();
            ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putLong(0, v);
            out.add(new Mutant("header length " + Long.toUnsignedString(v), m));
        }

        // Numbers in the JSON replaced by extreme ones (header length fixed up, so the JSON is read).
        Matcher num = NUMBER.matcher(json);
        List<int[]> numbers = new ArrayList<>();
        while (num.find()) {
            numbers.add(new int[] {num.start(), num.end()});
        }
        for (int[] at : numbers) {
            for (int k = 0; k < 2; k++) {
                String v = EXTREME_NUMBERS[rnd.nextInt(EXTREME_NUMBERS.length)];
                String mutated = json.substring(0, at[0]) + v + json.substring(at[1]);
                out.add(new Mutant("number @" + at[0] + " = " + v, assemble(mutated, data)));
            }
        }

        // Structural edits of the JSON tree.
        for (int i = 0; i < randomCount / 2; i++) {
            ObjectNode root = b.header().deepCopy();
            String how = editTree(root, rnd);
            out.add(new Mutant(how, assemble(root.toString(), data)));
        }
        // A duplicated entry (Jackson's tree cannot hold one, so edit the text).
        if (json.length() > 2) {
            int close = json.indexOf("},");
            if (close > 0) {
                String dup = json.substring(1, close + 1);
                out.add(new Mutant("duplicated first entry", assemble("{" + dup + "," + json.substring(1), data)));
            }
        }

        // Random damage anywhere in the header, with and without the length fixed up.
        for (int i = 0; i < randomCount; i++) {
            byte[] m = valid.clone();
            int flips = 1 + rnd.nextInt(4);
            for (int k = 0; k < flips; k++) {
                int at = rnd.nextInt(headerEnd);
                if (rnd.nextBoolean()) {
                    m[at] ^= (byte) (1 << rnd.nextInt(8));
                } else {
                    m[at] = (byte) new int[] {0xFF, 0, '"', '{', '}', '[', ']', ',', ':', '9', '-', 0xC3}[rnd.nextInt(12)];
                }
            }
            out.add(new Mutant(flips + " damaged header bytes", m));
        }
        return out;
    }

    /** One random structural edit of a header tree; returns what it did. */
    private static String editTree(ObjectNode root, Random rnd) {
        List<String> names = new ArrayList<>();
        root.fieldNames().forEachRemaining(names::add);
        if (names.isEmpty()) {
            root.put("x", 1);
            return "added a number entry";
        }
        String name = names.get(rnd.nextInt(names.size()));
        if (!(root.get(name) instanceof ObjectNode t) || name.equals("__metadata__")) {
            root.putArray("__metadata__").add(1);
            return "__metadata__ made an array";
        }
        switch (rnd.nextInt(10)) {
            case 0 -> {
                String field = new String[] {"dtype", "shape", "data_offsets"}[rnd.nextInt(3)];
                t.remove(field);
                return name + ": removed " + field;
            }
            case 1 -> {
                String d = DTYPES[rnd.nextInt(DTYPES.length)];
                t.put("dtype", d);
                return name + ": dtype " + d;
            }
            case 2 -> {
                ArrayNode s = t.putArray("shape");
                int rank = rnd.nextInt(6);
                for (int i = 0; i < rank; i++) {
                    s.add(rnd.nextInt(3) == 0 ? rnd.nextLong() : rnd.nextInt(5));
                }
                return name + ": shape " + s;
            }
            case 3 -> {
                JsonNode offs = t.get("data_offsets");
                if (offs instanceof ArrayNode a && a.size() == 2) {
                    JsonNode x = a.get(0);
                    a.set(0, a.get(1));
                    a.set(1, x);
                }
                return name + ": data_offsets swapped";
            }
            case 4 -> {
                ArrayNode a = t.putArray("data_offsets");
                a.add(rnd.nextInt(3) == 0 ? rnd.nextLong() : rnd.nextInt(64));
                a.add(rnd.nextInt(3) == 0 ? rnd.nextLong() : rnd.nextInt(64));
                if (rnd.nextBoolean()) {
                    a.add(3);
                }
                return name + ": data_offsets " + a;
            }
            case 5 -> {
                root.put(name, "oops");
                return name + ": replaced by a string";
            }
            case 6 -> {
                root.putObject("__metadata__").put("k", rnd.nextInt());
                return "__metadata__ with a number";
            }
            case 7 -> {
                t.put("shape", "[1]");
                return name + ": shape as a string";
            }
            case 8 -> {
                t.putArray("dtype").add("F32");
                return name + ": dtype as an array";
            }
            default -> {
                ArrayNode s = t.putArray("shape");
                s.add(1L << 40).add(1L << 40);
                return name + ": huge shape";
            }
        }
    }

    private static byte[] assemble(String json, byte[] data) {
        return ModelFiles.SafeTensorsBuilder.assemble(json.getBytes(StandardCharsets.UTF_8), data);
    }

    static Tally runSafeTensors(long seed, int files, int randomPerFile) {
        Tally tally = new Tally();
        Check check = safeTensorsCheck();
        for (int i = 0; i < files; i++) {
            long fileSeed = seed * 1_000_003 + i;
            Random rnd = new Random(fileSeed);
            for (Mutant m : safeTensorsMutants(ModelFiles.randomSafeTensors(fileSeed, "t."), rnd, randomPerFile)) {
                tally.run(new Mutant("safetensors seed " + fileSeed + ": " + m.how, m.bytes), check, null);
            }
        }
        return tally;
    }

    // ---- sharded safetensors

    static Tally runSharded(long seed, int checkpoints, int perCheckpoint) throws IOException {
        Tally tally = new Tally();
        for (int i = 0; i < checkpoints; i++) {
            long cpSeed = seed * 1_000_003 + i;
            Random rnd = new Random(cpSeed);
            Map<String, byte[]> files = SafeTensorsTest.shardedCheckpoint(cpSeed);
            List<String> names = new ArrayList<>(files.keySet());
            names.sort(null);
            for (int k = 0; k < perCheckpoint; k++) {
                Map<String, byte[]> mutated = new HashMap<>(files);
                String target = names.get(rnd.nextInt(names.size()));
                String how;
                if (target.equals(SafeTensorsIndex.INDEX_FILE)) {
                    ObjectNode index = (ObjectNode) Json.MAPPER.readTree(files.get(target));
                    how = editIndex(index, rnd);
                    byte[] text = index.toString().getBytes(StandardCharsets.UTF_8);
                    if (rnd.nextInt(4) == 0) {
                        text = Arrays.copyOf(text, rnd.nextInt(text.length));
                        how += ", then truncated";
                    }
                    mutated.put(target, text);
                } else {
                    ModelFiles.SafeTensorsBuilder b = ModelFiles.randomSafeTensors(
                            target.contains("00001") ? cpSeed : cpSeed + 1, target.contains("00001") ? "a." : "b.");
                    List<Mutant> ms = safeTensorsMutants(b, rnd, 4);
                    Mutant m = ms.get(rnd.nextInt(ms.size()));
                    mutated.put(target, m.bytes);
                    how = target + " " + m.how;
                }
                tally.run(new Mutant("sharded seed " + cpSeed + ": " + how, new byte[0]), ignored -> {
                    try (SafeTensorsIndex idx = SafeTensorsTest.parseIndex(mutated)) {
                        idx.metadata();
                        traverse(idx);
                    }
                }, NoSuchFileException.class);
            }
        }
        return tally;
    }

    private static String editIndex(ObjectNode index, Random rnd) {
        ObjectNode map = (ObjectNode) index.get("weight_map");
        List<String> names = new ArrayList<>();
        map.fieldNames().forEachRemaining(names::add);
        String name = names.get(rnd.nextInt(names.size()));
        switch (rnd.nextInt(7)) {
            case 0 -> {
                String v = new String[] {"../model-00001-of-00002.safetensors", "/abs", "", "missing.safetensors",
                    "model-00002-of-00002.safetensors", "model-00001-of-00002.safetensors"}[rnd.nextInt(6)];
                map.put(name, v);
                return name + " -> " + v;
            }
            case 1 -> {
                map.put(name, 7);
                return name + " -> a number";
            }
            case 2 -> {
                map.remove(name);
                return "removed " + name;
            }
            case 3 -> {
                map.put("ghost.weight", "model-00001-of-00002.safetensors");
                return "added a ghost tensor";
            }
            case 4 -> {
                index.put("weight_map", "x");
                return "weight_map a string";
            }
            case 5 -> {
                index.putArray("metadata").add(1);
                return "metadata an array";
            }
            default -> {
                index.remove("weight_map");
                return "no weight_map";
            }
        }
    }

    // ---- the tests

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void corruptGgufFiles() {
        runGguf(SEED, 40, 60).assertClean("GGUF");
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void corruptSafeTensorsFiles() {
        runSafeTensors(SEED, 40, 40).assertClean("safetensors");
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void corruptShardedCheckpoints() throws IOException {
        runSharded(SEED, 10, 60).assertClean("sharded safetensors");
    }

    @Test
    @Tag("slow")
    @Timeout(value = 600, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void manyMoreCorruptFiles() throws IOException {
        runGguf(SEED + 1, 400, 200).assertClean("GGUF (slow)");
        runSafeTensors(SEED + 1, 400, 100).assertClean("safetensors (slow)");
        runSharded(SEED + 1, 50, 200).assertClean("sharded safetensors (slow)");
    }
}
