/*
 * The kernels' C signatures (src/main/cuda) against their launchers' KernelSignatures, without a
 * GPU: every .cu file has a launcher, every extern "C" kernel in it is declared there under its
 * name, and each parameter's C type is the kind the launcher passes (pointer, 32-bit int, 64-bit
 * int, float).
 */
package dev.vireo.cuda.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vireo.cuda.KernelArgs;
import dev.vireo.cuda.KernelArgs.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class KernelSignaturesTest {
    /** Each .cu file's launcher's kernels. */
    private static final Map<String, List<KernelSignature>> LAUNCHERS = Map.of(
            "rms_norm", RmsNorm.KERNELS,
            "gemv_q", GemvQ.KERNELS);

    private static final Pattern KERNEL = Pattern.compile(
            "extern\\s+\"C\"\\s+__global__\\s+void\\s+(?:__launch_bounds__\\([^)]*\\)\\s+)?(\\w+)\\s*\\(([^)]*)\\)");

    /** The kernels a .cu file defines, with the kind each C parameter type is passed as. */
    static List<KernelSignature> parse(String source) {
        List<KernelSignature> kernels = new ArrayList<>();
        Matcher m = KERNEL.matcher(source);
        while (m.find()) {
            List<Kind> kinds = new ArrayList<>();
            for (String param : m.group(2).split(",")) {
                kinds.add(kind(param.strip()));
            }
            kernels.add(new KernelSignature(m.group(1), kinds));
        }
        return kernels;
    }

    private static Kind kind(String param) {
        if (param.contains("*")) {
            return Kind.PTR;
        }
        String type = param.replaceAll("\\b(const|__restrict__)\\b", "").strip().replaceAll("\\s+\\w+$", "")
                .replaceAll("\\s+", " ");
        return switch (type) {
            case "int", "unsigned", "unsigned int", "int32_t", "uint32_t" -> Kind.I32;
            case "long long", "unsigned long long", "int64_t", "uint64_t", "size_t" -> Kind.I64;
            case "float" -> Kind.F32;
            default -> throw new AssertionError("kernel parameter of unknown size: '" + param + "'");
        };
    }

    @Test
    void everyKernelMatchesItsLauncher() throws IOException {
        Map<String, List<KernelSignature>> sources = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of("src/main/cuda"))) {
            for (Path cu : files.filter(p -> p.toString().endsWith(".cu")).toList()) {
                String stem = cu.getFileName().toString().replaceAll("\\.cu$", "");
                sources.put(stem, parse(Files.readString(cu)));
            }
        }
        assertEquals(new TreeMap<>(LAUNCHERS).keySet(), sources.keySet(), "every .cu file has a launcher");
        for (var e : sources.entrySet()) {
            assertEquals(byName(LAUNCHERS.get(e.getKey())), byName(e.getValue()), e.getKey() + ".cu vs its launcher");
        }
    }

    private static Map<String, List<Kind>> byName(List<KernelSignature> kernels) {
        return kernels.stream().collect(Collectors.toMap(KernelSignature::name, KernelSignature::params, (a, b) -> {
            throw new AssertionError("kernel declared twice");
        }, TreeMap::new));
    }

    @Test
    void aLauncherThatBuildsOtherArgumentsFailsInJava() {
        KernelSignature sig = new KernelSignature("k", Kind.I32, Kind.F32);
        try (KernelArgs args = new KernelArgs(4)) {
            sig.check(args.i32(1).f32(2));
            assertThrows(IllegalStateException.class, () -> sig.check(args.clear().f32(2).i32(1)));
            assertThrows(IllegalStateException.class, () -> sig.check(args.clear().i32(1)));
        }
    }

    @Test
    void theParserReadsCudaSpellings() {
        assertEquals(List.of(new KernelSignature("k", Kind.PTR, Kind.PTR, Kind.I32, Kind.I64, Kind.F32)),
                parse("extern \"C\" __global__ void __launch_bounds__(32 * ROWS)\nk(const float* __restrict__ x,"
                        + " int8_t *q, unsigned int n, long long blocks, float eps) {"));
    }
}
