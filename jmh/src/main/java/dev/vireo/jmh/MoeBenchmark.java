/*
 * gpt-oss-20b's mixture-of-experts block as the model runs it (Moe.addTo, the code GptOss.forward
 * calls): an F32 router [32, 2880] with bias, the top 4 of 32 experts per token, a softmax over those
 * four, and per chosen expert the MXFP4 gate and up projections [2880, 2880] with biases, the clamped
 * SwiGLU (α 1.702, limit 7) and the MXFP4 down projection [2880, 2880], added back weighted, for one
 * token (decode: 4 experts) and 32 tokens (a small prefill step: almost every expert, each a batched
 * matmul over the tokens routed to it). The routing of the random inputs is fixed at setup, so
 * `gbytes` counts the weight bytes one call must stream (router, plus gate, up and down of every
 * expert some token chose, with their biases) and `gflops` the multiply-adds of the router and of each
 * (token, expert) pair's three projections. Decode here is bound by streaming ~4 × 3 × 4.4 MB of
 * MXFP4, the figure MatvecBenchmark's MXFP4 row predicts.
 * Run:  java --add-modules=jdk.incubator.vector -jar jmh/target/benchmarks.jar MoeBenchmark
 */
package dev.vireo.jmh;

import dev.vireo.model.Moe;
import dev.vireo.model.Workspace;
import dev.vireo.ops.Ops;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Shape;
import dev.vireo.tensor.Tensor;
import dev.vireo.testing.RandomBlocks;
import dev.vireo.testing.TestTensors;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
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
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx3g"})
public class MoeBenchmark {
    private static final int HIDDEN = 2880;
    private static final int FFN = 2880;
    private static final int EXPERTS = 32;
    private static final int USED = 4;

    /** Tokens per call: 1 (decode) or a small prefill step. */
    @Param({"1", "32"})
    public int tokens;

    /** cpu (Vector API) or ref (the scalar oracle, for scale). */
    @Param({"cpu"})
    public String backend;

    /** CPU threads; 0 = all processors. */
    @Param({"0"})
    public int threads;

    private Arena arena;
    private Ops ops;
    private Workspace workspace;
    private Moe.Weights weights;
    private Moe.Spec spec;
    private Tensor h;
    private Tensor residual;
    private double bytes;
    private double flops;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofShared();
        Random r = new Random(11);
        Tensor router = TestTensors.gaussian(arena, "router", r, 1 / Math.sqrt(HIDDEN), EXPERTS, HIDDEN);
        Tensor routerBias = TestTensors.gaussian(arena, "router.bias", r, 0.1, EXPERTS);
        Tensor gate = mxfp4("gate", FFN, HIDDEN, r);
        Tensor up = mxfp4("up", FFN, HIDDEN, r);
        Tensor down = mxfp4("down", HIDDEN, FFN, r);
        Tensor gateBias = TestTensors.gaussian(arena, "gate.bias", r, 0.1, EXPERTS, FFN);
        Tensor upBias = TestTensors.gaussian(arena, "up.bias", r, 0.1, EXPERTS, FFN);
        Tensor downBias = TestTensors.gaussian(arena, "down.bias", r, 0.1, EXPERTS, HIDDEN);
        List<Moe.Expert> experts = new ArrayList<>();
        for (int e = 0; e < EXPERTS; e++) {
            experts.add(new Moe.Expert(gate.select(e), gateBias.select(e), up.select(e), upBias.select(e),
                    down.select(e), downBias.select(e)));
        }
        weights = new Moe.Weights(router, routerBias, experts);
        spec = new Moe.Spec(USED, Moe.Gating.SOFTMAX_OF_TOP_K, new Moe.Activation.SwigluOai(1.702f, 7f));
        h = TestTensors.gaussian(arena, "h", r, 1.0, tokens, HIDDEN);
        residual = Tensor.allocateF32(arena, "residual", tokens, HIDDEN);
        ops = BenchOps.open(backend, threads);
        workspace = new Workspace(ops, tokens);

        // The experts this input routes to (the router's top 4 per token, the bias included).
        float[] logits = new float[EXPERTS];
        BitSet chosen = new BitSet(EXPERTS);
        for (int t = 0; t < tokens; t++) {
            for (int e = 0; e < EXPERTS; e++) {
                double s = routerBias.getFloat(e);
                for (int i = 0; i < HIDDEN; i++) {
                    s += (double) router.getFloat((long) e * HIDDEN + i) * h.getFloat((long) t * HIDDEN + i);
                }
                logits[e] = (float) s;
            }
            for (int k = 0; k < USED; k++) {
                int best = -1;
                for (int e = 0; e < EXPERTS; e++) {
                    if ((best < 0 || logits[e] > logits[best]) && logits[e] != Float.NEGATIVE_INFINITY) {
                        best = e;
                    }
                }
                chosen.set(best);
                logits[best] = Float.NEGATIVE_INFINITY;
            }
        }
        long expertBytes = gate.select(0).data().byteSize() + up.select(0).data().byteSize()
                + down.select(0).data().byteSize() + 4L * (FFN + FFN + HIDDEN);
        bytes = router.data().byteSize() + routerBias.data().byteSize() + (double) chosen.cardinality() * expertBytes;
        flops = 2.0 * tokens * EXPERTS * HIDDEN + 2.0 * tokens * USED * (2.0 * FFN * HIDDEN + (double) HIDDEN * FFN);
    }

    /** A stack of random MXFP4 experts [EXPERTS, rows, cols] (block scales 2^-9 .. 2^4, see RandomBlocks). */
    private Tensor mxfp4(String name, int rows, int cols, Random r) {
        byte[] block = RandomBlocks.matrix(DType.MXFP4, EXPERTS * rows, cols, r);
        MemorySegment seg = arena.allocate(block.length, 64);
        MemorySegment.copy(MemorySegment.ofArray(block), 0, seg, 0, block.length);
        return new Tensor(name, DType.MXFP4, Shape.of(EXPERTS, rows, cols), seg);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        workspace.close();
        ops.close();
        arena.close();
    }

    /** residual += MoE(h); the residual's growth over calls changes nothing the block computes. */
    @Benchmark
    public Tensor moe(Traffic traffic) {
        Moe.addTo(ops, workspace, weights, spec, h, residual);
        traffic.add(bytes, flops);
        return residual;
    }
}
