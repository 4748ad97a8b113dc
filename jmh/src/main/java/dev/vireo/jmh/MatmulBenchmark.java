/*
 * Matrix times many tokens (the prefill case) for the weight types of the bench models, at
 * Llama-3.2-1B's shapes: 2048×2048 (attention), 8192×2048 (FFN up/gate) and 2048×8192 (FFN down).
 * Prefill is bound by arithmetic, so the figure that matters is GFLOP/s: the `flops` counter counts
 * 2·rows·cols·tokens per call (JMH prints it as ops/s; divide by 1e9).
 * Run: java -jar jmh/target/benchmarks.jar MatmulBenchmark -p type=Q4_0 -p tokens=128
 * (the jar's manifest enables native access; add --add-modules=jdk.incubator.vector to the java command).
 */
package dev.vireo.jmh;

import dev.vireo.ops.Ops;
import dev.vireo.ops.cpu.CpuOps;
import dev.vireo.ops.ref.RefOps;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Shape;
import dev.vireo.tensor.Tensor;
import dev.vireo.testing.RandomBlocks;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class MatmulBenchmark {

    @Param({"F32", "Q8_0", "Q4_0", "Q4_K", "Q6_K"})
    public String type;

    @Param({"2048x2048", "8192x2048", "2048x8192"})
    public String shape;

    /** Tokens multiplied at once (rows of the activation). */
    @Param({"32", "512"})
    public int tokens;

    /** cpu (Vector API) or ref (the scalar oracle, for scale). */
    @Param({"cpu"})
    public String backend;

    /** CPU threads; 0 = all processors. */
    @Param({"0"})
    public int threads;

    private Arena arena;
    private Ops ops;
    private Tensor weight;
    private Tensor x;
    private Tensor out;
    private long flopsPerCall;

    /** Floating-point operations (2 per multiply-add); JMH reports them per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Work {
        public long flops;
    }

    @Setup(Level.Trial)
    public void setUp() {
        String[] rc = shape.split("x");
        int rows = Integer.parseInt(rc[0]);
        int cols = Integer.parseInt(rc[1]);
        DType t = DType.valueOf(type);
        arena = Arena.ofShared();
        weight = Tensor.allocate(arena, "w", t, Shape.of(rows, cols));
        Random r = new Random(1);
        int chunk = 256;
        for (int row = 0; row < rows; row += chunk) {
            int n = Math.min(chunk, rows - row);
            byte[] block = RandomBlocks.matrix(t, n, cols, r);
            MemorySegment.copy(MemorySegment.ofArray(block), 0, weight.data(), row * weight.rowBytes(), block.length);
        }
        x = Tensor.allocateF32(arena, "x", tokens, cols);
        for (long i = 0; i < (long) tokens * cols; i++) {
            x.setFloat(i, (float) r.nextGaussian());
        }
        out = Tensor.allocateF32(arena, "out", tokens, rows);
        flopsPerCall = 2L * rows * cols * tokens;
        int n = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        ops = backend.equals("ref") ? new RefOps() : new CpuOps(n);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ops.close();
        arena.close();
    }

    @Benchmark
    public Tensor matmul(Work work) {
        ops.matmul(weight, x, out);
        work.flops += flopsPerCall;
        return out;
    }
}
