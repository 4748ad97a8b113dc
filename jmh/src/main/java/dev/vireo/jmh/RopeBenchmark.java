/*
 * RoPE on the query rows of the supported models, with each one's table and pairing:
 *   llama-3.2-1b  32 heads × 64, llama3 scaling ×32 (θ 500000), NORM pairs (2i, 2i+1)
 *   qwen3-1.7b    16 heads × 128, plain (θ 10⁶), NEOX halves (i, i + 64)
 *   gpt-oss-20b   64 heads × 64, YaRN ×32 (θ 150000), NEOX halves
 * for one token at position 4095 (decode) and 512 tokens at positions 0..511 (a prefill step). The op
 * rotates in place: `gbytes` counts each element read and written (8 bytes), `gflops` the 6 operations
 * of each rotated pair (4 multiplies, 2 adds); the per-row cos/sin (in double) are not counted and are
 * what the decode case mostly measures. gpt-oss's table is used with its YaRN attention factor set to
 * 1: the factor multiplies cos and sin whatever its value, and at 1.35 repeated calls would grow the
 * rows without bound.
 * Run:  java --add-modules=jdk.incubator.vector -jar jmh/target/benchmarks.jar RopeBenchmark
 */
package dev.vireo.jmh;

import dev.vireo.model.RopeTables;
import dev.vireo.ops.Ops;
import dev.vireo.ops.RopeLayout;
import dev.vireo.ops.RopeTable;
import dev.vireo.tensor.Tensor;
import dev.vireo.testing.TestTensors;
import java.lang.foreign.Arena;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
public class RopeBenchmark {

    @Param({"llama-3.2-1b", "qwen3-1.7b", "gpt-oss-20b"})
    public String model;

    /** Rows per call: 1 (decode) or a prefill step. */
    @Param({"1", "512"})
    public int tokens;

    /** cpu (Vector API) or ref (the scalar oracle, for scale). */
    @Param({"cpu"})
    public String backend;

    /** CPU threads; 0 = all processors. */
    @Param({"0"})
    public int threads;

    private Arena arena;
    private Ops ops;
    private Tensor x;
    private int headDim;
    private int[] positions;
    private RopeTable table;
    private double bytes;
    private double flops;

    @Setup(Level.Trial)
    public void setUp() {
        int heads;
        switch (model) {
            case "llama-3.2-1b" -> {
                heads = 32;
                headDim = 64;
                table = RopeTables.llama3(headDim, 500000, 32, 1, 4, 8192, RopeLayout.NORM);
            }
            case "qwen3-1.7b" -> {
                heads = 16;
                headDim = 128;
                table = RopeTables.plain(headDim, 1e6, RopeLayout.NEOX);
            }
            case "gpt-oss-20b" -> {
                heads = 64;
                headDim = 64;
                RopeTable yarn = RopeTables.yarn(headDim, 150000, 32, 4096, 32, 1, false, 1, RopeLayout.NEOX);
                table = new RopeTable(yarn.invFreq(), 1f, RopeLayout.NEOX);
            }
            default -> throw new IllegalArgumentException("unknown model " + model);
        }
        arena = Arena.ofShared();
        x = TestTensors.gaussian(arena, "q", new Random(5), 1.0, tokens, heads * headDim);
        positions = new int[tokens];
        for (int t = 0; t < tokens; t++) {
            positions[t] = tokens == 1 ? 4095 : t;
        }
        bytes = 8.0 * tokens * heads * headDim;
        flops = 3.0 * tokens * heads * table.rotaryDim();
        ops = BenchOps.open(backend, threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ops.close();
        arena.close();
    }

    @Benchmark
    public Tensor rope(Traffic traffic) {
        ops.rope(x, headDim, positions, table);
        traffic.add(bytes, flops);
        return x;
    }
}
