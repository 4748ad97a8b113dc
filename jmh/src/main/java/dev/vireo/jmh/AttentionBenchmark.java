/*
 * Decode attention: one query (the newest token) over a KV cache of `context` positions, at the head
 * shapes of the supported models:
 *   gqa-32/8x64          Llama-3.2-1B / Llama-3-8B style: 32 query heads over 8 KV heads of 64, full causal
 *   gptoss-64/8x64-sinks gpt-oss's full layers: 64 query heads over 8 KV heads of 64, with sinks
 *   gptoss-64/8x64-sinks-w128  gpt-oss's sliding layers: the same with a 128-position window
 * Decode attention streams the visible K and V rows once (F32 pages of 32 positions, as the session
 * lays them out) and does 2 multiply-adds per query head, visible position and head dimension (q·k and
 * p·v): `gbytes` counts those rows, `gflops` those multiply-adds (the softmax's exps not included).
 * A windowed layer sees at most 128 positions whatever the context, so its rate should not fall with it.
 * Run:  java --add-modules=jdk.incubator.vector -jar jmh/target/benchmarks.jar AttentionBenchmark
 * One:  ... AttentionBenchmark -p shape=gqa-32/8x64 -p context=2048
 */
package dev.vireo.jmh;

import dev.vireo.ops.AttentionSpec;
import dev.vireo.ops.KvPages;
import dev.vireo.ops.Ops;
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
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class AttentionBenchmark {

    @Param({"gqa-32/8x64", "gptoss-64/8x64-sinks", "gptoss-64/8x64-sinks-w128"})
    public String shape;

    /** Positions in the cache; the query is the last of them. */
    @Param({"512", "2048", "8192"})
    public int context;

    /** cpu (Vector API) or ref (the scalar oracle, for scale). */
    @Param({"cpu"})
    public String backend;

    /** CPU threads; 0 = all processors. */
    @Param({"0"})
    public int threads;

    private static final int PAGE_SIZE = 32;

    private Arena arena;
    private Ops ops;
    private AttentionSpec spec;
    private KvPages kv;
    private int[] pageTable;
    private int[] position;
    private Tensor q;
    private Tensor sinks;
    private Tensor out;
    private double bytes;
    private double flops;

    @Setup(Level.Trial)
    public void setUp() {
        int heads;
        boolean withSinks;
        int window;
        switch (shape) {
            case "gqa-32/8x64" -> { heads = 32; withSinks = false; window = 0; }
            case "gptoss-64/8x64-sinks" -> { heads = 64; withSinks = true; window = 0; }
            case "gptoss-64/8x64-sinks-w128" -> { heads = 64; withSinks = true; window = 128; }
            default -> throw new IllegalArgumentException("unknown attention shape " + shape);
        }
        int headDim = 64;
        spec = new AttentionSpec(heads, 8, headDim, (float) (1 / Math.sqrt(headDim)), window);
        arena = Arena.ofShared();
        Random r = new Random(7);
        int pages = (context + PAGE_SIZE - 1) / PAGE_SIZE;
        kv = new KvPages(TestTensors.gaussian(arena, "k", r, 1.0, pages, PAGE_SIZE, spec.kvDim()),
                TestTensors.gaussian(arena, "v", r, 1.0, pages, PAGE_SIZE, spec.kvDim()), PAGE_SIZE);
        pageTable = new int[pages];
        for (int i = 0; i < pages; i++) {
            pageTable[i] = i;
        }
        position = new int[] {context - 1};
        q = TestTensors.gaussian(arena, "q", r, 1.0, 1, heads * headDim);
        sinks = withSinks ? TestTensors.gaussian(arena, "sinks", r, 1.5, heads) : null;
        out = Tensor.allocateF32(arena, "out", 1, heads * headDim);
        int visible = context - spec.firstVisible(context - 1);
        bytes = 2.0 * visible * spec.kvDim() * Float.BYTES;
        flops = 4.0 * heads * visible * headDim;
        ops = BenchOps.open(backend, threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ops.close();
        arena.close();
    }

    @Benchmark
    public Tensor decode(Traffic traffic) {
        ops.attention(q, kv, pageTable, position, spec, sinks, out);
        traffic.add(bytes, flops);
        return out;
    }
}
