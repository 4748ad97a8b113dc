/*
 * The CPU backend: the Ops primitives on the Vector API (jdk.incubator.vector, the preferred species:
 * AVX-512 or AVX2), matmul and attention spread over a fixed WorkerPool sized to the machine.
 *
 * Matmul follows Ops.matmul's ggml-style definition: activations are converted once per call to the
 * weight's vec_dot type (Activations). Weights are read block by block from the mapped segment: for
 * one token, quantized blocks are multiplied in the integer domain (one QuantDot per DType, in an
 * EnumMap) and float weights decoded and FMA'd in registers (one BlockDecoder per DType); for several
 * tokens, decoded L1-sized chunks are shared by a tile of tokens against the (de)quantized
 * activations (Matmul).
 * Buffers live in per-worker Scratch allocated once, and the loop bodies are reusable objects, so a
 * call allocates nothing once warm. Calls are serialised (synchronized): one CpuOps serves one
 * inference thread at a time, its workers serve the call. Because workers read the tensors, tensors
 * of a multi-threaded CpuOps must come from shared, global or automatic arenas, not confined ones.
 *
 * Tested against RefOps, op by op and type by type, by the conformance suite in
 * core/src/test/java/dev/vireo/ops (MatmulConformanceTest, AttentionConformanceTest,
 * VectorOpsConformanceTest, ExpertOpsConformanceTest; SlowConformanceTest with -Pslow) and the unit
 * tests in core/src/test/java/dev/vireo/ops/cpu.
 */
package dev.vireo.ops.cpu;

import static dev.vireo.ops.cpu.Vec.F;
import static dev.vireo.ops.cpu.Vec.F32_LE;
import static dev.vireo.ops.cpu.Vec.FL;
import static dev.vireo.ops.cpu.Vec.LE;

import dev.vireo.ops.AttentionSpec;
import dev.vireo.ops.KvPages;
import dev.vireo.ops.OpChecks;
import dev.vireo.ops.Ops;
import dev.vireo.ops.RopeLayout;
import dev.vireo.ops.RopeTable;
import dev.vireo.tensor.DType;
import dev.vireo.tensor.Tensor;
import dev.vireo.tensor.quant.VecDotType;
import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** The Vector API implementation of {@link Ops}. Close it to stop its threads. */
public final class CpuOps implements Ops {

    /** Weight type → decoder: the dispatch table of matmul and embedding. */
    private static final Map<DType, BlockDecoder> DECODERS = new EnumMap<>(DType.class);

    /** Quantized weight type → its integer dot products with converted activations. */
    private static final Map<DType, QuantDot> DOTS = new EnumMap<>(DType.class);

    static {
        for (QuantDot q : new QuantDot[] {
            LegacyDots.Q8_0, LegacyDots.Q4_0, LegacyDots.Q4_1, LegacyDots.Q5_0, LegacyDots.Q5_1, LegacyDots.MXFP4,
            KQuantDots.Q4_K, KQuantDots.Q5_K, KQuantDots.Q6_K
        }) {
            DOTS.put(q.type(), q);
        }
        for (BlockDecoder d : new BlockDecoder[] {
            FloatDecoders.F32, FloatDecoders.F16, FloatDecoders.BF16,
            LegacyDecoders.Q8_0, LegacyDecoders.Q4_0, LegacyDecoders.Q4_1, LegacyDecoders.Q5_0, LegacyDecoders.Q5_1,
            LegacyDecoders.MXFP4, KQuantDecoders.Q4_K, KQuantDecoders.Q5_K, KQuantDecoders.Q6_K
        }) {
            DECODERS.put(d.type(), d);
        }
    }

    /** Below this many multiply-adds a loop runs on the calling thread: waking workers costs more. */
    private static final long PARALLEL_WORK = 1 << 16;

    private final WorkerPool pool;
    private final Scratch[] scratch;
    /** Where the calling thread's element-wise ops (swiglu, softmax) evaluate Exp.exp, a block at a time. */
    private final float[] expBuffer = new float[1024];
    private final MatmulTask matmulTask = new MatmulTask();
    private final NormTask normTask = new NormTask();
    private final Attention attention;
    /** Activations of the current matmul, converted to the weight's vec_dot type; grow to the largest call. */
    private final Activations activations = new Activations();
    private final boolean batchInvariant;
    /** Decoded RMSNorm weight, and RoPE's cos/sin of one row. */
    private float[] normWeight = new float[4096];
    private float[] cos = new float[64];
    private float[] sin = new float[64];

    /** A backend using every available processor. */
    public CpuOps() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** A batch-invariant backend using {@code threads} threads (the caller and threads − 1 workers). */
    public CpuOps(int threads) {
        this(threads, true);
    }

    /**
     * A backend using {@code threads} threads.
     *
     * @param batchInvariant make every matmul row independent of the number of tokens multiplied
     *     together (the default): one token with quantized weights takes the float path (the fused
     *     float dot, in the tile path's order) like several do, so a sequence computes the same bits
     *     alone and in a batch, and a decoded token the same bits as in a prefill (see Matmul).
     *     false sends one token through the integer kernels instead (ggml's per-block integer sums):
     *     the same values to ~1e-6 but other last bits, which the 8-bit rounding of the next
     *     activations can amplify; measured no faster (docs/benchmarks.md). Float weights are
     *     batch-invariant either way.
     */
    public CpuOps(int threads, boolean batchInvariant) {
        this.batchInvariant = batchInvariant;
        pool = new WorkerPool(threads);
        scratch = new Scratch[threads];
        for (int i = 0; i < threads; i++) {
            scratch[i] = new Scratch();
        }
        attention = new Attention(scratch);
    }

    /** Whether every matmul row is independent of the batch (see the constructor). */
    public boolean batchInvariant() {
        return batchInvariant;
    }

    /** Threads working on each op, the caller included. */
    public int threads() {
        return pool.size();
    }

    /** Lanes of the float vectors the kernels use (16 with AVX-512, 8 with AVX2). */
    public static int vectorLanes() {
        return FL;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Set<DType> matmulTypes() {
        return Collections.unmodifiableSet(EnumSet.copyOf(DECODERS.keySet()));
    }

    private static BlockDecoder decoder(String op, Tensor w) {
        BlockDecoder d = DECODERS.get(w.type());
        if (d == null) {
            throw new IllegalArgumentException(op + ": the cpu backend has no kernel for " + w.type() + " (" + w
                    + ")");
        }
        return d;
    }

    /** Parallel loops read tensors on worker threads, which a confined arena forbids: say so plainly. */
    private void requireShared(String op, Tensor t) {
        if (t != null && !pool.canAccess(t.data())) {
            throw new IllegalArgumentException(op + ": " + t + " lives in a confined arena; a CpuOps with "
                    + pool.size() + " threads needs tensors from a shared (or global/auto) arena");
        }
    }

    private int grain(int items) {
        return Math.max(1, (items + 8 * pool.size() - 1) / (8 * pool.size()));
    }

    @Override
    public synchronized void embedding(Tensor table, int[] ids, Tensor out) {
        BlockDecoder d = decoder("embedding", table);
        OpChecks.embedding(table, ids, out);
        int dim = table.cols();
        int blockSize = table.type().blockSize();
        float[] buf = scratch[0].weights;
        int chunk = Math.min(Matmul.CHUNK, dim);
        for (int t = 0; t < ids.length; t++) {
            long row = ids[t] * table.rowBytes();
            for (int c = 0; c < dim; c += chunk) {
                int len = Math.min(chunk, dim - c);
                d.decode(table.data(), row + table.type().rowBytes(c), len / blockSize, buf, 0);
                MemorySegment.copy(buf, 0, out.data(), F32_LE, ((long) t * dim + c) * 4, len);
            }
        }
    }

    /**
     * Converts the activations once (Activations, bit for bit ggml's conversion), then computes
     * rows of the output in parallel (Matmul.rows).
     */
    @Override
    public synchronized void matmul(Tensor w, Tensor x, Tensor out) {
        BlockDecoder d = decoder("matmul", w);
        OpChecks.matmul(w, x, out);
        int n = x.rows();
        int in = w.cols();
        int rows = w.rows();
        QuantDot dot = DOTS.get(w.type());
        // One token goes through the integer kernels, several through the float tiles (see Matmul).
        boolean codes = dot != null && n == 1 && !batchInvariant;
        activations.convert(x.data(), n, in, VecDotType.forWeight(w.type()),
                codes ? Activations.Form.CODES : Activations.Form.VALUES,
                codes ? dot.order() : Activations.Order.NATURAL);
        MatmulTask task = matmulTask;
        task.dot = dot;
        task.decoder = d;
        task.w = w.data();
        task.rowBytes = w.rowBytes();
        task.inDim = in;
        task.out = out.data();
        task.outDim = rows;
        boolean small = (long) rows * in * n < PARALLEL_WORK;
        if (!small) {
            requireShared("matmul", w);
            requireShared("matmul", out);
        }
        // Ranges of whole row blocks, so that the tile path rarely falls back to one row at a time.
        int blockGrain = (grain(rows) + Matmul.ROWS - 1) / Matmul.ROWS * Matmul.ROWS;
        pool.run(rows, small ? rows : blockGrain, task);
        task.w = task.out = null;
    }

    /** The matmul loop body over output rows; fields are the current call's arguments. */
    private final class MatmulTask implements WorkerPool.RangeTask {
        QuantDot dot;
        BlockDecoder decoder;
        MemorySegment w;
        long rowBytes;
        int inDim;
        MemorySegment out;
        int outDim;

        @Override
        public void run(int worker, int start, int end) {
            Matmul.rows(dot, decoder, w, rowBytes, inDim, activations, out, outDim, start, end, scratch[worker]);
        }
    }

    @Override
    public synchronized void rmsNorm(Tensor x, Tensor weight, float eps, Tensor out) {
        OpChecks.rmsNorm(x, weight, out);
        int dim = x.cols();
        if (normWeight.length < dim) {
            normWeight = new float[dim];
        }
        decoder("rmsNorm", weight).decode(weight.data(), 0, dim, normWeight, 0);
        normTask.x = x.data();
        normTask.out = out.data();
        normTask.dim = dim;
        normTask.eps = eps;
        int rows = x.rows();
        boolean small = (long) rows * dim < PARALLEL_WORK;
        if (!small) {
            requireShared("rmsNorm", x);
            requireShared("rmsNorm", out);
        }
        pool.run(rows, small ? rows : grain(rows), normTask);
        normTask.x = normTask.out = null;
    }

    /** RMSNorm of rows; the sum of squares in float lanes, the scale in double. */
    private final class NormTask implements WorkerPool.RangeTask {
        MemorySegment x;
        MemorySegment out;
        int dim;
        float eps;

        @Override
        public void run(int worker, int start, int end) {
            float[] g = normWeight;
            for (int t = start; t < end; t++) {
                long base = (long) t * dim * 4;
                FloatVector ss = FloatVector.zero(F);
                int i = 0;
                int bound = dim - dim % FL;
                for (; i < bound; i += FL) {
                    FloatVector v = FloatVector.fromMemorySegment(F, x, base + 4L * i, LE);
                    ss = v.fma(v, ss);
                }
                float sumSq = Vec.sum(ss);
                for (int j = i; j < dim; j++) {
                    float v = x.get(F32_LE, base + 4L * j);
                    sumSq += v * v;
                }
                float inv = (float) (1 / Math.sqrt((double) sumSq / dim + eps));
                for (i = 0; i < bound; i += FL) {
                    FloatVector.fromMemorySegment(F, x, base + 4L * i, LE).mul(inv)
                            .mul(FloatVector.fromArray(F, g, i)).intoMemorySegment(out, base + 4L * i, LE);
                }
                for (; i < dim; i++) {
                    out.set(F32_LE, base + 4L * i, x.get(F32_LE, base + 4L * i) * inv * g[i]);
                }
            }
        }
    }

    /** cos/sin of each row are taken once in double (exact angle position·θ_i) and shared by its heads. */
    @Override
    public synchronized void rope(Tensor x, int headDim, int[] positions, RopeTable table) {
        OpChecks.rope(x, headDim, positions, table);
        int half = table.rotaryDim() / 2;
        if (cos.length < half) {
            cos = new float[half];
            sin = new float[half];
        }
        float factor = table.attentionFactor();
        MemorySegment data = x.data();
        int width = x.cols();
        for (int t = 0; t < positions.length; t++) {
            for (int i = 0; i < half; i++) {
                double angle = (double) positions[t] * table.invFreq(i);
                cos[i] = (float) (Math.cos(angle) * factor);
                sin[i] = (float) (Math.sin(angle) * factor);
            }
            for (int head = 0; head < width / headDim; head++) {
                long base = ((long) t * width + (long) head * headDim) * 4;
                if (table.layout() == RopeLayout.NEOX) {
                    rotateHalves(data, base, half);
                } else {
                    rotatePairs(data, base, half);
                }
            }
        }
    }

    /** NEOX: dimension i pairs with i + half. */
    private void rotateHalves(MemorySegment x, long base, int half) {
        long second = base + 4L * half;
        int i = 0;
        for (int bound = half - half % FL; i < bound; i += FL) {
            FloatVector x1 = FloatVector.fromMemorySegment(F, x, base + 4L * i, LE);
            FloatVector x2 = FloatVector.fromMemorySegment(F, x, second + 4L * i, LE);
            FloatVector c = FloatVector.fromArray(F, cos, i);
            FloatVector s = FloatVector.fromArray(F, sin, i);
            x1.mul(c).sub(x2.mul(s)).intoMemorySegment(x, base + 4L * i, LE);
            x2.mul(c).add(x1.mul(s)).intoMemorySegment(x, second + 4L * i, LE);
        }
        for (; i < half; i++) {
            float x1 = x.get(F32_LE, base + 4L * i);
            float x2 = x.get(F32_LE, second + 4L * i);
            x.set(F32_LE, base + 4L * i, x1 * cos[i] - x2 * sin[i]);
            x.set(F32_LE, second + 4L * i, x2 * cos[i] + x1 * sin[i]);
        }
    }

    /** NORM: dimension 2i pairs with 2i+1 (scalar: RoPE is a sliver of a step's time). */
    private void rotatePairs(MemorySegment x, long base, int half) {
        for (int i = 0; i < half; i++) {
            long a = base + 8L * i;
            float x1 = x.get(F32_LE, a);
            float x2 = x.get(F32_LE, a + 4);
            x.set(F32_LE, a, x1 * cos[i] - x2 * sin[i]);
            x.set(F32_LE, a + 4, x2 * cos[i] + x1 * sin[i]);
        }
    }

    @Override
    public synchronized void kvStore(Tensor k, Tensor v, KvPages kv, int[] pageTable, int[] positions) {
        OpChecks.kvStore(k, v, kv, pageTable, positions);
        long rowBytes = 4L * kv.kvDim();
        for (int t = 0; t < positions.length; t++) {
            long row = kv.row(pageTable, positions[t]);
            MemorySegment.copy(k.data(), t * rowBytes, kv.keys().data(), row * rowBytes, rowBytes);
            MemorySegment.copy(v.data(), t * rowBytes, kv.values().data(), row * rowBytes, rowBytes);
        }
    }

    @Override
    public synchronized void attention(Tensor q, KvPages kv, int[] pageTable, int[] positions, AttentionSpec spec,
            Tensor sinks, Tensor out) {
        OpChecks.attention(q, kv, pageTable, positions, spec, sinks, out);
        attention.prepare(q.data(), kv, pageTable, positions, spec, sinks == null ? null : sinks.data(), out.data());
        int items = positions.length * spec.heads();
        long work = 0;
        for (int p : positions) {
            work += (long) (p - spec.firstVisible(p) + 1) * spec.heads() * spec.headDim();
        }
        boolean small = work < PARALLEL_WORK;
        if (!small) {
            requireShared("attention", q);
            requireShared("attention", kv.keys());
            requireShared("attention", kv.values());
            requireShared("attention", sinks);
            requireShared("attention", out);
        }
        try {
            pool.run(items, small ? items : grain(items), attention);
        } finally {
            attention.clear();
        }
    }

    @Override
    public synchronized void swiglu(Tensor gate, Tensor up, Tensor out) {
        OpChecks.sameShape("swiglu", gate, up);
        OpChecks.sameShape("swiglu", gate, out);
        MemorySegment g = gate.data();
        MemorySegment u = up.data();
        MemorySegment o = out.data();
        long n = gate.shape().elementCount();
        float[] buffer = expBuffer;
        // g·σ(g)·u = g / (1 + e^−g) · u, a block at a time: e^−g is computed in the buffer by Exp.
        for (long start = 0; start < n; start += buffer.length) {
            int len = (int) Math.min(buffer.length, n - start);
            int bound = len - len % FL;
            int j = 0;
            for (; j < bound; j += FL) {
                FloatVector.fromMemorySegment(F, g, 4 * (start + j), LE).neg().intoArray(buffer, j);
            }
            for (; j < len; j++) {
                buffer[j] = -g.getAtIndex(F32_LE, start + j);
            }
            Exp.exp(buffer, 0, len);
            for (j = 0; j < bound; j += FL) {
                long at = 4 * (start + j);
                FloatVector gv = FloatVector.fromMemorySegment(F, g, at, LE);
                FloatVector uv = FloatVector.fromMemorySegment(F, u, at, LE);
                gv.div(FloatVector.fromArray(F, buffer, j).add(1f)).mul(uv).intoMemorySegment(o, at, LE);
            }
            for (; j < len; j++) {
                float gi = g.getAtIndex(F32_LE, start + j);
                o.setAtIndex(F32_LE, start + j, gi / (1f + buffer[j]) * u.getAtIndex(F32_LE, start + j));
            }
        }
    }

    @Override
    public synchronized void swigluOai(Tensor gate, Tensor up, float alpha, float limit, Tensor out) {
        OpChecks.sameShape("swigluOai", gate, up);
        OpChecks.sameShape("swigluOai", gate, out);
        ExpertKernels.swigluOai(gate.data(), up.data(), alpha, limit, out.data(), gate.shape().elementCount(),
                expBuffer);
    }

    @Override
    public synchronized void gatherRows(Tensor x, int[] rows, Tensor out) {
        OpChecks.gatherRows(x, rows, out);
        ExpertKernels.gatherRows(x.data(), rows, out.data(), x.cols());
    }

    @Override
    public synchronized void scatterAdd(Tensor x, int[] rows, float[] weights, Tensor out) {
        OpChecks.scatterAdd(x, rows, weights, out);
        ExpertKernels.scatterAdd(x.data(), rows, weights, out.data(), out.cols());
    }

    @Override
    public synchronized void softmax(Tensor x) {
        OpChecks.f32("softmax", x);
        MemorySegment d = x.data();
        int cols = x.cols();
        for (int t = 0; t < x.rows(); t++) {
            long base = (long) t * cols * 4;
            int bound = cols - cols % FL;
            FloatVector mv = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            int i = 0;
            for (; i < bound; i += FL) {
                mv = mv.max(FloatVector.fromMemorySegment(F, d, base + 4L * i, LE));
            }
            float max = mv.reduceLanes(VectorOperators.MAX);
            for (; i < cols; i++) {
                max = Math.max(max, d.get(F32_LE, base + 4L * i));
            }
            // e^(x − max), a block at a time through the buffer; the sum adds the vectors in order,
            // then the row's scalar tail, as a single pass would.
            float[] buffer = expBuffer;
            FloatVector sv = FloatVector.zero(F);
            for (int start = 0; start < cols; start += buffer.length) {
                int len = Math.min(buffer.length, cols - start);
                MemorySegment.copy(d, F32_LE, base + 4L * start, buffer, 0, len);
                for (int j = 0; j < len; j++) {
                    buffer[j] -= max;
                }
                Exp.exp(buffer, 0, len);
                MemorySegment.copy(buffer, 0, d, F32_LE, base + 4L * start, len);
                for (int j = 0; j + FL <= len; j += FL) {
                    sv = sv.add(FloatVector.fromArray(F, buffer, j));
                }
            }
            float sum = Vec.sum(sv);
            for (i = bound; i < cols; i++) {
                sum += d.get(F32_LE, base + 4L * i);
            }
            float inv = 1 / sum;
            for (i = 0; i < bound; i += FL) {
                FloatVector.fromMemorySegment(F, d, base + 4L * i, LE).mul(inv).intoMemorySegment(d, base + 4L * i, LE);
            }
            for (; i < cols; i++) {
                d.set(F32_LE, base + 4L * i, d.get(F32_LE, base + 4L * i) * inv);
            }
        }
    }

    /** Insertion into the running top k of each row; strict comparison keeps the lower index first on ties. */
    @Override
    public synchronized void topK(Tensor x, int k, int[] indices, float[] values) {
        OpChecks.topK(x, k, indices, values);
        MemorySegment d = x.data();
        int cols = x.cols();
        for (int t = 0; t < x.rows(); t++) {
            int o = t * k;
            int filled = 0;
            for (int i = 0; i < cols; i++) {
                float v = d.getAtIndex(F32_LE, (long) t * cols + i);
                if (filled == k && !(v > values[o + k - 1])) {
                    continue;
                }
                int at = filled == k ? k - 1 : filled++;
                while (at > 0 && v > values[o + at - 1]) {
                    values[o + at] = values[o + at - 1];
                    indices[o + at] = indices[o + at - 1];
                    at--;
                }
                values[o + at] = v;
                indices[o + at] = i;
            }
        }
    }

    @Override
    public synchronized void add(Tensor a, Tensor b, Tensor out) {
        OpChecks.add(a, b, out);
        MemorySegment av = a.data();
        MemorySegment bv = b.data();
        MemorySegment ov = out.data();
        int cols = a.cols();
        boolean broadcast = b.rows() != a.rows();
        for (int t = 0; t < a.rows(); t++) {
            long base = (long) t * cols * 4;
            long bBase = broadcast ? 0 : base;
            int i = 0;
            for (int bound = cols - cols % FL; i < bound; i += FL) {
                FloatVector.fromMemorySegment(F, av, base + 4L * i, LE)
                        .add(FloatVector.fromMemorySegment(F, bv, bBase + 4L * i, LE))
                        .intoMemorySegment(ov, base + 4L * i, LE);
            }
            for (; i < cols; i++) {
                ov.set(F32_LE, base + 4L * i, av.get(F32_LE, base + 4L * i) + bv.get(F32_LE, bBase + 4L * i));
            }
        }
    }

    @Override
    public synchronized void scale(Tensor x, float s) {
        OpChecks.f32("scale", x);
        MemorySegment d = x.data();
        long n = x.shape().elementCount();
        long i = 0;
        for (long bound = n - n % FL; i < bound; i += FL) {
            FloatVector.fromMemorySegment(F, d, 4 * i, LE).mul(s).intoMemorySegment(d, 4 * i, LE);
        }
        for (; i < n; i++) {
            d.setAtIndex(F32_LE, i, d.getAtIndex(F32_LE, i) * s);
        }
    }

    /**
     * A vector pass keeps the per-lane maximum (by "greater than", so NaN never wins, as in the
     * reference), then a scalar scan finds the first index holding it.
     */
    @Override
    public synchronized int argmax(Tensor x, int row) {
        OpChecks.argmax(x, row);
        MemorySegment d = x.data();
        int cols = x.cols();
        long base = (long) row * cols * 4;
        float first = d.get(F32_LE, base);
        if (Float.isNaN(first)) {
            return 0; // the reference never moves off a leading NaN
        }
        FloatVector mv = FloatVector.broadcast(F, first);
        int i = 0;
        for (int bound = cols - cols % FL; i < bound; i += FL) {
            FloatVector v = FloatVector.fromMemorySegment(F, d, base + 4L * i, LE);
            mv = mv.blend(v, v.compare(VectorOperators.GT, mv));
        }
        float max = first;
        for (int lane = 0; lane < FL; lane++) {
            max = Math.max(max, mv.lane(lane));
        }
        for (; i < cols; i++) {
            float v = d.get(F32_LE, base + 4L * i);
            if (v > max) {
                max = v;
            }
        }
        for (int j = 0; ; j++) {
            if (d.get(F32_LE, base + 4L * j) == max) {
                return j;
            }
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
