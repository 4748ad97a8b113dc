/*
 * RMSNorm at the residual widths of the supported models: hidden 2048 (Llama-3.2-1B, Qwen3-1.7B),
 * 2880 (gpt-oss) and 4096 (Llama-3-8B), for one token (decode) and 512 (a prefill step). The op reads
 * each row and writes it normalised: `gbytes` counts those 8 bytes per element (the weight, read once
 * per call, is added); `gflops` 4 per element (square-and-add, then two multiplies). Run into a
 * separate output, so the input stays the same from call to call.
 * Run:  java --add-modules=jdk.incubator.vector -jar jmh/target/benchmarks.jar RmsNormBenchmark
 */
package dev.vireo.jmh;

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
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx1g"})
public class RmsNormBenchmark {

    @Param({"2048", "2880", "4096"})
    public int hidden;

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
    private Tensor weight;
    private Tensor out;
    private double bytes;
    private double flops;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        Random r = new Random(3);
        x = TestTensors.gaussian(arena, "x", r, 1.0, tokens, hidden);
        weight = TestTensors.gaussian(arena, "norm", r, 0.1, hidden);
        for (int i = 0; i < hidden; i++) {
            weight.setFloat(i, 1 + weight.getFloat(i)); // a norm weight near one, as trained ones are
        }
        out = Tensor.allocateF32(arena, "out", tokens, hidden);
        bytes = 8.0 * tokens * hidden + 4.0 * hidden;
        flops = 4.0 * tokens * hidden;
        ops = BenchOps.open(backend, threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ops.close();
        arena.close();
    }

    @Benchmark
    public Tensor rmsNorm(Traffic traffic) {
        ops.rmsNorm(x, weight, 1e-5f, out);
        traffic.add(bytes, flops);
        return out;
    }
}
