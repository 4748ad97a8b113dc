/*
 * `vireo bench`: prompt processing (pp) and generation (tg) speed, measured as llama-bench measures
 * them (empty context before each test, random tokens, pp in one batch, tg one token at a time), with
 * mean ± standard deviation over repetitions, printed as a table and as JSON. With llama.cpp fetched
 * (tools/llama-cpp/fetch.sh) the same file runs in llama.cpp in the same process, alternating with
 * Vireo test by test, and the ratio is printed. Last comes the process's peak resident memory against
 * the file size plus the KV cache (issue 7's memory target); tools/bench-models/run.sh collects the
 * JSON of many models into one table.
 */
package dev.vireo.cli;

import dev.vireo.LanguageModel;
import dev.vireo.cli.bench.LlamaCppPeer;
import dev.vireo.generate.Session;
import dev.vireo.model.DecoderShape;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Measures pp and tg tokens per second. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure prompt processing (pp) and generation (tg) speed, side by side with llama.cpp when it is available.")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model;

    @Option(names = {"-p", "--n-prompt"}, paramLabel = "N", defaultValue = "512", description = "prompt tokens (0: skip pp; default: ${DEFAULT-VALUE})")
    int prompt;

    @Option(names = {"-n", "--n-gen"}, paramLabel = "N", defaultValue = "128", description = "generated tokens (0: skip tg; default: ${DEFAULT-VALUE})")
    int gen;

    @Option(names = {"-ub", "--ubatch"}, paramLabel = "N", defaultValue = "512", description = "prompt tokens per forward step, as llama-bench's -ub (default: ${DEFAULT-VALUE})")
    int ubatch;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-r", "--repetitions"}, paramLabel = "N", defaultValue = "5", description = "repetitions (default: ${DEFAULT-VALUE})")
    int reps;

    @Option(names = "--llama-cpp", paramLabel = "DIR", description = "llama.cpp's prebuilt libraries (default: .cache/llama.cpp/lib beside the vireo script, if present)")
    Path llamaLib;

    @Option(names = "--no-llama-cpp", description = "measure Vireo only")
    boolean noPeer;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON to FILE")
    Path json;

    /** One engine's timings for one test. */
    record Result(String engine, String test, int tokens, double[] seconds) {
        double mean() {
            double s = 0;
            for (double t : seconds) {
                s += tokens / t;
            }
            return s / seconds.length;
        }

        double stddev() {
            double m = mean();
            double s = 0;
            for (double t : seconds) {
                s += (tokens / t - m) * (tokens / t - m);
            }
            return seconds.length > 1 ? Math.sqrt(s / (seconds.length - 1)) : 0;
        }
    }

    /** Tokens of the warm-up prompt and single-token steps after it (see call). */
    private static final int WARM_UP_PROMPT = 16;
    private static final int WARM_UP_STEPS = 4;

    @Override
    public Integer call() throws Exception {
        if (ubatch <= 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--ubatch must be positive, got " + ubatch);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        int threads = model.threads == 0 ? Runtime.getRuntime().availableProcessors() : model.threads;
        int positions = prompt + gen + 1;   // what one repetition holds; the KV figure is for these
        int ctx = Math.max(positions, WARM_UP_PROMPT + WARM_UP_STEPS);
        try (LanguageModel m = model.load(); Session session = new Session(m.decoder(),
                new Session.Options(ctx, Math.max(1, Math.min(prompt, ubatch)), 32))) {
            LlamaCppPeer peer = openPeer(ctx, threads);
            try {
                int vocab = m.shape().vocabSize();
                int count = Math.max(Math.max(prompt, gen), WARM_UP_PROMPT + WARM_UP_STEPS);
                int[] tokens = new SplittableRandom(1234).ints(count, 0, vocab).toArray();
                Map<String, Engine> engines = new LinkedHashMap<>();
                engines.put("vireo", new Engine() {
                    public void reset() {
                        session.reset();
                    }

                    public void eval(int[] t) {
                        session.append(t, null);
                    }
                });
                if (peer != null) {
                    engines.put("llama.cpp", new Engine() {
                        public void reset() {
                            peer.clear();
                        }

                        public void eval(int[] t) {
                            peer.decode(t);
                        }
                    });
                }
                // Warm-up: JIT compilation on Vireo's side, page cache and thread start on both. A short
                // prompt, then a few single-token steps: prefill and decode run different kernels.
                for (Engine e : engines.values()) {
                    e.reset();
                    e.eval(Arrays.copyOf(tokens, Math.min(WARM_UP_PROMPT, tokens.length)));
                    for (int i = 0; i < WARM_UP_STEPS; i++) {
                        e.eval(new int[] {tokens[i]});
                    }
                }
                List<Result> results = new ArrayList<>();
                if (prompt > 0) {
                    results.addAll(measure("pp" + prompt, prompt, engines, new int[][] {Arrays.copyOf(tokens, prompt)}));
                }
                if (gen > 0) {
                    int[][] steps = new int[gen][];
                    for (int i = 0; i < gen; i++) {
                        steps[i] = new int[] {tokens[i]};
                    }
                    results.addAll(measure("tg" + gen, gen, engines, steps));
                }
                Memory memory = Memory.of(m, positions, peer != null);
                print(out, m, threads, results, memory);
                if (json != null) {
                    Files.writeString(json, toJson(m, threads, results, memory));
                }
            } finally {
                if (peer != null) {
                    peer.close();
                }
            }
        }
        return 0;
    }

    /**
     * Resident memory against what the model needs: the file plus the KV cache of the benchmark's
     * context. The peak is the process's (VmHWM): with llama.cpp alongside it counts both engines'
     * mappings of the file and their buffers, so Vireo's own figure needs a run with --no-llama-cpp.
     *
     * @param peakRss bytes, -1 where /proc is not readable
     * @param kvBytes Vireo's F32 K and V rows for {@code positions} positions (windowed layers hold
     *     at most their window)
     */
    record Memory(long peakRss, long fileBytes, long kvBytes, int positions, boolean withPeer) {
        static Memory of(LanguageModel m, int positions, boolean withPeer) {
            DecoderShape s = m.shape();
            long kv = 0;
            for (int l = 0; l < s.layers(); l++) {
                int held = s.window()[l] == 0 ? positions : Math.min(positions, s.window()[l]);
                kv += 2L * Float.BYTES * s.kvDim()[l] * held;
            }
            long file;
            try {
                file = Files.size(m.source());
            } catch (java.io.IOException e) {
                file = -1;
            }
            return new Memory(readPeakRss(), file, kv, positions, withPeer);
        }

        /** VmHWM of /proc/self/status, the peak resident set size of this process. */
        static long readPeakRss() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith("VmHWM:")) {
                        String[] f = line.substring(6).trim().split("\\s+");
                        return Long.parseLong(f[0]) * 1024; // the kernel reports kB
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                // Not Linux, or /proc hidden: the figure is simply missing.
            }
            return -1;
        }

        /** Peak RSS over file + KV, or NaN when either is unknown. */
        double ratio() {
            return peakRss < 0 || fileBytes < 0 ? Double.NaN : (double) peakRss / (fileBytes + kvBytes);
        }
    }

    /** An engine under test: forget the context, evaluate tokens after what it holds. */
    private interface Engine {
        void reset();

        void eval(int[] tokens);
    }

    /**
     * Runs a test: each repetition starts from an empty context and evaluates the steps in order
     * (one step of all tokens for pp, one token per step for tg); engines alternate repetition by
     * repetition so that drift in the machine's state hits both alike.
     */
    private List<Result> measure(String test, int tokens, Map<String, Engine> engines, int[][] steps) {
        Map<String, double[]> seconds = new LinkedHashMap<>();
        engines.keySet().forEach(e -> seconds.put(e, new double[reps]));
        for (int r = 0; r < reps; r++) {
            for (Map.Entry<String, Engine> e : engines.entrySet()) {
                Progress.status(test + " " + e.getKey() + " repetition " + (r + 1) + "/" + reps);
                Engine engine = e.getValue();
                engine.reset();
                long t0 = System.nanoTime();
                for (int[] step : steps) {
                    engine.eval(step);
                }
                seconds.get(e.getKey())[r] = (System.nanoTime() - t0) / 1e9;
            }
        }
        Progress.status("");
        List<Result> out = new ArrayList<>();
        seconds.forEach((engine, secs) -> out.add(new Result(engine, test, tokens, secs)));
        return out;
    }

    private LlamaCppPeer openPeer(int ctx, int threads) {
        if (noPeer) {
            return null;
        }
        Path lib = llamaLib != null ? llamaLib : defaultLlamaLib();
        if (lib == null || !Files.isDirectory(lib)) {
            System.err.println("llama.cpp not found: measuring Vireo only (tools/llama-cpp/fetch.sh installs it from npm,"
                    + " or point --llama-cpp at its libraries)");
            return null;
        }
        return new LlamaCppPeer(lib, model.path(), ctx, Math.max(1, Math.min(prompt, 512)), threads);
    }

    private static Path defaultLlamaLib() {
        String home = System.getProperty("vireo.home");
        Path base = home != null ? Path.of(home) : Path.of(".");
        Path p = base.resolve(".cache/llama.cpp/lib");
        return Files.isDirectory(p) ? p : null;
    }

    private void print(PrintStream out, LanguageModel m, int threads, List<Result> results, Memory memory) {
        out.printf("| %-24s | %-9s | %-9s | %7s | %-6s | %20s |%n", "model", "size", "engine", "threads", "test", "t/s");
        out.println("| " + "-".repeat(24) + " | " + "-".repeat(9) + " | " + "-".repeat(9) + " | "
                + "-".repeat(7) + " | " + "-".repeat(6) + " | " + "-".repeat(20) + " |");
        String name = m.source().getFileName().toString();
        String size = size(m.source());
        for (Result r : results) {
            out.printf("| %-24s | %-9s | %-9s | %7d | %-6s | %20s |%n", abbreviate(name), size, r.engine(),
                    threads, r.test(), String.format("%.2f ± %.2f", r.mean(), r.stddev()));
        }
        for (Result r : results) {
            if (r.engine().equals("vireo")) {
                results.stream().filter(o -> !o.engine().equals("vireo") && o.test().equals(r.test())).forEach(o ->
                        out.printf("%s: vireo / %s = %.2f×%n", r.test(), o.engine(), r.mean() / o.mean()));
            }
        }
        if (memory.peakRss() >= 0) {
            out.printf("peak RSS %s (%s) = %.2f × (file %s + KV %s for %d positions)%n",
                    InfoCommand.bytes(memory.peakRss()), memory.withPeer() ? "vireo and llama.cpp together" : "vireo",
                    memory.ratio(), InfoCommand.bytes(memory.fileBytes()), InfoCommand.bytes(memory.kvBytes()),
                    memory.positions());
        }
    }

    private String toJson(LanguageModel m, int threads, List<Result> results, Memory memory) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(java.util.Locale.ROOT, "{%n  \"model\": \"%s\",%n  \"threads\": %d,%n"
                + "  \"file_bytes\": %d,%n  \"kv_bytes\": %d,%n  \"kv_positions\": %d,%n  \"peak_rss_bytes\": %d,%n"
                + "  \"peak_rss_includes_llama_cpp\": %s,%n  \"results\": [%n",
                jsonString(m.source().getFileName().toString()), threads, memory.fileBytes(), memory.kvBytes(),
                memory.positions(), memory.peakRss(), memory.withPeer()));
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            sb.append(String.format(java.util.Locale.ROOT,
                    "    {\"engine\": \"%s\", \"test\": \"%s\", \"tokens\": %d, \"tps_mean\": %.4f, \"tps_stddev\": %.4f}%s%n",
                    r.engine(), r.test(), r.tokens(), r.mean(), r.stddev(), i + 1 < results.size() ? "," : ""));
        }
        return sb.append("  ]\n}\n").toString();
    }

    /** The characters JSON needs escaped in a file name. */
    private static String jsonString(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String size(Path p) {
        try {
            return Files.isRegularFile(p) ? InfoCommand.bytes(Files.size(p)) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 24 ? s : s.substring(0, 21) + "...";
    }
}
