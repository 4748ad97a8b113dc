/*
 * Matrix-vector product (one token, the decode case) for every weight type at real model shapes:
 *   4096×4096 and 14336×4096 (Llama-3-8B attention / FFN), 2880×2880 (gpt-oss), 201088×2880 (gpt-oss
 *   unembedding). Decode is bound by streaming the weights, so the figure that matters is weight GB/s:
 *   the score is matvecs per second and the `weightBytes` counter the bytes of weight read per second.
 * Run all:  java -jar jmh/target/benchmarks.jar MatvecBenchmark
 * One type: java -jar jmh/target/benchmarks.jar MatvecBenchmark -p type=Q4_K -p shape=4096x4096
 * (the jar's manifest enables native access; add --add-modules=jdk.incubator.vector to the java command).
 */
package dev.vireo.jmh;

import dev.vireo.ops.Ops;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Tensor;
import java.lang.foreign.Arena;
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
public class MatvecBenchmark {

    @Param({"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q4_K", "Q5_K", "Q6_K", "MXFP4"})
    public String type;

    @Param({"4096x4096", "14336x4096", "2880x2880", "201088x2880"})
    public String shape;

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

    /** Bytes of weight streamed; JMH reports it per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Streamed {
        public long weightBytes;
    }

    @Setup(Level.Trial)
    public void setUp() {
        String[] rc = shape.split("x");
        int rows = Integer.parseInt(rc[0]);
        int cols = Integer.parseInt(rc[1]);
        DType t = DType.valueOf(type);
        arena = Arena.ofShared();
        Random r = new Random(1);
        weight = RandomWeights.matrix(arena, t, rows, cols, r);
        x = RandomWeights.gaussian(arena, "x", 1, cols, r);
        out = Tensor.allocateF32(arena, "out", 1, rows);
        ops = BenchOps.open(backend, threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ops.close();
        arena.close();
    }

    @Benchmark
    public Tensor matvec(Streamed streamed) {
        ops.matmul(weight, x, out);
        streamed.weightBytes += weight.data().byteSize();
        return out;
    }
}
