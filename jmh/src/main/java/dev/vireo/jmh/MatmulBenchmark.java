/*
 * Matrix times many tokens (the prefill case) for the weight types of the bench models, at
 * Llama-3.2-1B's shapes: 2048×2048 (attention), 8192×2048 (FFN up/gate) and 2048×8192 (FFN down).
 * Prefill is bound by arithmetic, so the figure that matters is GFLOP/s: `gflops` (Traffic) counts
 * 2·rows·cols·tokens per call, `gbytes` the weight once plus the activations in and out.
 * Run: java -jar jmh/target/benchmarks.jar MatmulBenchmark -p type=Q4_0 -p tokens=128
 * (the jar's manifest enables native access; add --add-modules=jdk.incubator.vector to the java command).
 */
package dev.vireo.jmh;

import dev.vireo.ops.Ops;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Tensor;
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
    private double bytesPerCall;
    private double flopsPerCall;

    @Setup(Level.Trial)
    public void setUp() {
        String[] rc = shape.split("x");
        int rows = Integer.parseInt(rc[0]);
        int cols = Integer.parseInt(rc[1]);
        DType t = DType.valueOf(type);
        arena = Arena.ofShared();
        Random r = new Random(1);
        weight = RandomWeights.matrix(arena, t, rows, cols, r);
        x = RandomWeights.gaussian(arena, "x", tokens, cols, r);
        out = Tensor.allocateF32(arena, "out", tokens, rows);
        // The weight once, the activations in and the outputs out; a multiply-add is 2 FLOPs.
        bytesPerCall = weight.data().byteSize() + 4.0 * tokens * (cols + rows);
        flopsPerCall = 2.0 * rows * cols * tokens;
        ops = BenchOps.open(backend, threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ops.close();
        arena.close();
    }

    @Benchmark
    public Tensor matmul(Traffic traffic) {
        ops.matmul(weight, x, out);
        traffic.add(bytesPerCall, flopsPerCall);
        return out;
    }
}
