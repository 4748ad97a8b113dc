/*
 * Argument checks shared by every Ops backend, so that the reference and the fast backends reject
 * the same calls with the same messages. Each check names the op and the tensor that is wrong.
 * Exercised by the conformance suite's bad-argument cases (OpArgumentTest).
 */
package dev.vireo.ops;

import dev.vireo.tensor.DType;
import dev.vireo.tensor.Tensor;

/** Shape and type validation for the {@link Ops} primitives; throws {@link IllegalArgumentException}. */
public final class OpChecks {
    private OpChecks() {}

    /** The tensor must be F32. */
    public static void f32(String op, Tensor t) {
        if (t.type() != DType.F32) {
            throw new IllegalArgumentException(op + ": " + t + " must be F32");
        }
    }

    /** The tensor, viewed as a matrix, must be [rows, cols]. */
    public static void matrix(String op, Tensor t, long rows, long cols) {
        if (t.rows() != rows || t.cols() != cols) {
            throw new IllegalArgumentException(op + ": " + t + " must be [" + rows + ", " + cols + "] as a matrix");
        }
    }

    /** matmul: w [outDim, inDim], x [n, inDim], out [n, outDim], x and out F32. */
    public static void matmul(Tensor w, Tensor x, Tensor out) {
        f32("matmul", x);
        f32("matmul", out);
        if (w.shape().rank() < 1) {
            throw new IllegalArgumentException("matmul: weight " + w + " has no rows");
        }
        matrix("matmul", x, x.rows(), w.cols());
        matrix("matmul", out, x.rows(), w.rows());
    }

    /** embedding: every id a row of table, out [ids.length, dim] F32. */
    public static void embedding(Tensor table, int[] ids, Tensor out) {
        f32("embedding", out);
        matrix("embedding", out, ids.length, table.cols());
        for (int id : ids) {
            if (id < 0 || id >= table.rows()) {
                throw new IllegalArgumentException("embedding: token id " + id + " outside " + table);
            }
        }
    }

    /** rmsNorm: x, out F32 [n, dim]; weight [dim] F32/F16/BF16. */
    public static void rmsNorm(Tensor x, Tensor weight, Tensor out) {
        f32("rmsNorm", x);
        f32("rmsNorm", out);
        matrix("rmsNorm", out, x.rows(), x.cols());
        if (!weight.type().isFloat() || weight.type() == DType.F64 || weight.shape().elementCount() != x.cols()) {
            throw new IllegalArgumentException("rmsNorm: weight " + weight + " must be F32/F16/BF16 with "
                    + x.cols() + " elements");
        }
    }

    /** rope: x F32 [n, heads·headDim], one position per row, rotaryDim ≤ headDim. */
    public static void rope(Tensor x, int headDim, int[] positions, RopeTable table) {
        f32("rope", x);
        if (headDim <= 0 || x.cols() % headDim != 0) {
            throw new IllegalArgumentException("rope: row width " + x.cols() + " of " + x
                    + " is not a multiple of headDim " + headDim);
        }
        if (table.rotaryDim() > headDim) {
            throw new IllegalArgumentException("rope: rotaryDim " + table.rotaryDim() + " > headDim " + headDim);
        }
        positions("rope", positions, x.rows());
    }

    /** One non-negative position per row. */
    public static void positions(String op, int[] positions, int rows) {
        if (positions.length != rows) {
            throw new IllegalArgumentException(op + ": " + positions.length + " positions for " + rows + " rows");
        }
        for (int p : positions) {
            if (p < 0) {
                throw new IllegalArgumentException(op + ": negative position " + p);
            }
        }
    }

    /** kvStore: k, v F32 [n, kvDim]; every position's page mapped. */
    public static void kvStore(Tensor k, Tensor v, KvPages kv, int[] pageTable, int[] positions) {
        f32("kvStore", k);
        f32("kvStore", v);
        matrix("kvStore", k, k.rows(), kv.kvDim());
        matrix("kvStore", v, k.rows(), kv.kvDim());
        positions("kvStore", positions, k.rows());
        for (int p : positions) {
            pageRow(kv, pageTable, p);
        }
    }

    /** attention: q, out F32 [n, heads·headDim]; kv width matches; sinks null or F32 [heads]. */
    public static void attention(Tensor q, KvPages kv, int[] pageTable, int[] positions, AttentionSpec spec,
            Tensor sinks, Tensor out) {
        f32("attention", q);
        f32("attention", out);
        int width = spec.heads() * spec.headDim();
        matrix("attention", q, q.rows(), width);
        matrix("attention", out, q.rows(), width);
        if (kv.kvDim() != spec.kvDim()) {
            throw new IllegalArgumentException("attention: KV pages hold rows of " + kv.kvDim() + ", spec needs "
                    + spec.kvDim());
        }
        if (sinks != null) {
            f32("attention", sinks);
            if (sinks.shape().elementCount() != spec.heads()) {
                throw new IllegalArgumentException("attention: sinks " + sinks + " must hold " + spec.heads()
                        + " values");
            }
        }
        positions("attention", positions, q.rows());
        if (positions.length == 0) {
            return;
        }
        int first = Integer.MAX_VALUE;
        int last = 0;
        for (int p : positions) {
            first = Math.min(first, spec.firstVisible(p));
            last = Math.max(last, p);
        }
        // Every page a query may read, checked once here so the kernels can index without checks.
        for (int page = first / kv.pageSize(); page <= last / kv.pageSize(); page++) {
            pageRow(kv, pageTable, Math.max(first, page * kv.pageSize()));
        }
    }

    /** The flat KV row of a position, as an IllegalArgumentException when its page is missing or out of range. */
    public static long pageRow(KvPages kv, int[] pageTable, int pos) {
        long row;
        try {
            row = kv.row(pageTable, pos);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (row >= (long) kv.pageCount() * kv.pageSize()) {
            throw new IllegalArgumentException("position " + pos + " maps to page " + pageTable[pos / kv.pageSize()]
                    + " of " + kv.pageCount());
        }
        return row;
    }

    /** Elementwise ops: all F32 with the same shape as a matrix. */
    public static void sameShape(String op, Tensor a, Tensor b) {
        f32(op, a);
        f32(op, b);
        matrix(op, b, a.rows(), a.cols());
    }

    /** add: b is a's shape or a single row of a's width. */
    public static void add(Tensor a, Tensor b, Tensor out) {
        f32("add", a);
        f32("add", b);
        sameShape("add", a, out);
        if (b.cols() != a.cols() || (b.rows() != a.rows() && b.rows() != 1)) {
            throw new IllegalArgumentException("add: " + b + " must match " + a + " or be one row of "
                    + a.cols());
        }
    }

    /** gatherRows: F32 x [n, dim] and out [rows.length, dim]; every index a row of x. */
    public static void gatherRows(Tensor x, int[] rows, Tensor out) {
        f32("gatherRows", x);
        f32("gatherRows", out);
        matrix("gatherRows", out, rows.length, x.cols());
        rowIndices("gatherRows", rows, x);
    }

    /** scatterAdd: F32 x [rows.length, dim] and out [n, dim]; every index a row of out; a weight per row. */
    public static void scatterAdd(Tensor x, int[] rows, float[] weights, Tensor out) {
        f32("scatterAdd", x);
        f32("scatterAdd", out);
        matrix("scatterAdd", x, rows.length, out.cols());
        if (weights.length < rows.length) {
            throw new IllegalArgumentException("scatterAdd: " + weights.length + " weights for " + rows.length
                    + " rows");
        }
        rowIndices("scatterAdd", rows, out);
    }

    private static void rowIndices(String op, int[] rows, Tensor t) {
        for (int r : rows) {
            if (r < 0 || r >= t.rows()) {
                throw new IllegalArgumentException(op + ": row " + r + " outside " + t);
            }
        }
    }

    /** topK: 1 ≤ k ≤ cols and room for rows·k results. */
    public static void topK(Tensor x, int k, int[] indices, float[] values) {
        f32("topK", x);
        long need = (long) x.rows() * k;
        if (k < 1 || k > x.cols() || indices.length < need || values.length < need) {
            throw new IllegalArgumentException("topK: k=" + k + " of " + x + " needs k in 1.." + x.cols()
                    + " and " + need + " result slots (have " + indices.length + ", " + values.length + ")");
        }
    }

    /** argmax: a valid row of a non-empty F32 matrix. */
    public static void argmax(Tensor x, int row) {
        f32("argmax", x);
        if (row < 0 || row >= x.rows() || x.cols() == 0) {
            throw new IllegalArgumentException("argmax: row " + row + " of " + x);
        }
    }
}
