/*
 * CudaDriver against the cuda.h of an installed CUDA toolkit: every entry of PROTOTYPES must be
 * declared there with the same return type, parameter types and names (under its macro name where
 * cuda.h selects a versioned entry point, e.g. "#define cuMemAlloc cuMemAlloc_v2" declares
 * cuMemAlloc_v2 as "cuMemAlloc(...)"), and every constant must have the header's value.
 *
 * The toolkit is found through -Dvireo.cuda.home, CUDA_HOME, CUDA_PATH, or its default install
 * prefix; without one the test is skipped (only the headers are read: no GPU is needed).
 */
package dev.vireo.cuda.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CudaHeaderTest {
    private static final Pattern RENAME = Pattern.compile(
            "^#define\\s+(cu\\w+)\\s+(?:__CUDA_API_PT[SD][ZS]\\()?(cu\\w+)\\)?\\s*$", Pattern.MULTILINE);
    private static final Pattern ENUM_VALUE = Pattern.compile("^\\s*([A-Z][A-Z0-9_]+)\\s*=\\s*(0x[0-9a-fA-F]+|\\d+)\\b",
            Pattern.MULTILINE);
    private static final Pattern DEFINE_VALUE = Pattern.compile("^#define\\s+([A-Z][A-Z0-9_]+)\\s+(0x[0-9a-fA-F]+|\\d+)\\b",
            Pattern.MULTILINE);

    private static String header;

    static Path cudaHome() {
        return Stream.of(System.getProperty("vireo.cuda.home"), System.getenv("CUDA_HOME"), System.getenv("CUDA_PATH"),
                "/usr/local/cuda")
                .filter(p -> p != null && !p.isBlank()).map(Path::of)
                .filter(p -> Files.isRegularFile(p.resolve("include/cuda.h"))).findFirst().orElse(null);
    }

    @BeforeAll
    static void readHeader() throws IOException {
        Path home = cudaHome();
        assumeTrue(home != null, "no CUDA toolkit (cuda.h) found: set CUDA_HOME to check the bindings against it");
        header = Files.readString(home.resolve("include/cuda.h"));
    }

    @Test
    void everyPrototypeIsDeclaredSoInCudaH() {
        Map<String, String> macroFor = new HashMap<>();
        Matcher m = RENAME.matcher(header);
        while (m.find()) {
            macroFor.putIfAbsent(m.group(2), m.group(1));
        }
        List<String> wrong = new ArrayList<>();
        for (CPrototype p : CudaDriver.PROTOTYPES) {
            String declared = macroFor.getOrDefault(p.name(), p.name());
            Matcher d = Pattern.compile("\\bCUresult\\s+CUDAAPI\\s+" + Pattern.quote(declared) + "\\s*\\(([^)]*)\\)\\s*;")
                    .matcher(header);
            if (!d.find()) {
                wrong.add(p.name() + ": cuda.h declares no " + declared);
                continue;
            }
            CPrototype inHeader = CPrototype.parse("CUresult " + p.name() + "(" + d.group(1) + ")");
            if (!inHeader.equals(p)) {
                wrong.add(p + "\n   cuda.h: " + inHeader);
            }
        }
        assertTrue(wrong.isEmpty(), "differences from cuda.h:\n" + String.join("\n", wrong));
    }

    @Test
    void everyConstantHasTheHeadersValue() throws IllegalAccessException {
        Map<String, Long> values = new HashMap<>();
        for (Pattern p : List.of(ENUM_VALUE, DEFINE_VALUE)) {
            Matcher m = p.matcher(header);
            while (m.find()) {
                values.putIfAbsent(m.group(1), Long.decode(m.group(2)));
            }
        }
        int checked = 0;
        for (Field f : CudaDriver.class.getFields()) {
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())) {
                assertTrue(values.containsKey(f.getName()), f.getName() + " is not in cuda.h");
                assertEquals(values.get(f.getName()).longValue(), f.getInt(null), f.getName());
                checked++;
            }
        }
        assertTrue(checked > 20, "constants checked: " + checked);
    }
}
