#!/usr/bin/python3
"""Builds Vireo's quantization fixtures from llama.cpp's own tools (see README.md here).

1. Generates seeded F32 tensors with awkward value distributions and writes them as a tiny `llama`
   GGUF (real tensor names and metadata, so llama-quantize accepts it).
2. Runs llama-quantize --pure to every type Vireo reads, parses each output with gguf-py, and keeps
   the quantized bytes of every 2-D weight plus libggml-base's own dequantization of them (ggml_ref).
3. Quantizes a small "edge" set (NaN, inf, float subnormals, overflow; values llama-quantize would
   reject on validation) with ggml_quantize_chunk directly, for the types Vireo can quantize.
4. Records fingerprints of ggml's fp32->fp16 / fp32->bf16 conversions over every float bit pattern,
   of fp16->fp32 over every half, and libm's log2f rounding near powers of two (ggml_ref conversions),
   and ggml's block geometry of every type (ggml_ref traits).

Usage: fixtures.py --quantize LLAMA_QUANTIZE --ggml-ref GGML_REF --out DIR --work DIR
Needs numpy and llama.cpp's gguf-py on PYTHONPATH.
"""
import argparse
import os
import subprocess
import sys

import numpy as np
import gguf

SEED = 20250807
ROWS, COLS = 4, 512
BLOCK = 32

# llama-quantize type names, the ggml type they produce with --pure, and the ggml type id.
TYPES = [
    ("F32", "F32", 0),
    ("F16", "F16", 1),
    ("BF16", "BF16", 30),
    ("Q8_0", "Q8_0", 8),
    ("Q4_0", "Q4_0", 2),
    ("Q4_1", "Q4_1", 3),
    ("Q5_0", "Q5_0", 6),
    ("Q5_1", "Q5_1", 7),
    ("Q4_K_M", "Q4_K", 12),
    ("Q5_K_M", "Q5_K", 13),
    ("Q6_K", "Q6_K", 14),
    ("MXFP4_MOE", "MXFP4", 39),
]

# Types Vireo quantizes itself; the edge set is quantized to these with ggml_quantize_chunk.
EDGE_TYPES = [("F16", 1), ("BF16", 30), ("Q8_0", 8), ("Q4_0", 2), ("MXFP4", 39)]
EDGE_ROWS, EDGE_COLS = 4, 256

F16_MAX = 65504.0


def f32(x):
    return np.float32(x)


def bits_to_f32(bits):
    return np.array(bits, dtype=np.uint32).view(np.float32)


def blocks(rows, cols):
    """Yields (row, column) of the first element of every 32-element block."""
    for r in range(rows):
        for c in range(0, cols, BLOCK):
            yield r, c


# ---- the distributions ---------------------------------------------------------------------

def normal(rng):
    return rng.normal(0.0, 0.05, (ROWS, COLS))


def outliers(rng):
    """Heavy tails: Student-t body plus rare large spikes (a few per row)."""
    x = rng.standard_t(2.0, (ROWS, COLS)) * 0.02
    spikes = rng.random((ROWS, COLS)) < 0.01
    x[spikes] = rng.choice([-1.0, 1.0], spikes.sum()) * rng.uniform(5.0, 40.0, spikes.sum())
    return x


def sparse(rng):
    """All-zero blocks, -0.0 blocks, blocks with one nonzero, constant blocks, half-zero blocks."""
    x = np.zeros((ROWS, COLS))
    for i, (r, c) in enumerate(blocks(ROWS, COLS)):
        b = x[r, c:c + BLOCK]
        kind = i % 6
        if kind == 1:
            b[:] = -0.0
        elif kind in (2, 3):
            b[rng.integers(BLOCK)] = (1 if kind == 2 else -1) * rng.uniform(0.01, 3.0)
        elif kind == 4:
            b[:] = rng.choice([0.3, -0.7, 1.0, 2.0 ** -10])
        elif kind == 5:
            b[:] = rng.normal(0.0, 0.1, BLOCK) * (rng.random(BLOCK) < 0.5)
    x[1, 256:512] = 0.0                      # a whole zero K-quant super-block
    x[2, 256:512] = 0.0
    x[2, 256 + rng.integers(256)] = -1.25    # a super-block with a single nonzero
    return x


def ties(rng):
    """Exact rounding ties for each quantizer, at power-of-two scales so they stay exact."""
    x = np.zeros((ROWS, COLS))
    for i, (r, c) in enumerate(blocks(ROWS, COLS)):
        b = x[r, c:c + BLOCK]
        kind = i % 5
        s = 2.0 ** int(rng.integers(-6, 7))
        if kind == 0:    # Q8_0: amax 127·s makes d = s, so q = roundf(n + 0.5): half away from zero
            b[:] = (rng.integers(-127, 127, BLOCK) + 0.5) * s
            b[rng.integers(BLOCK)] = rng.choice([-127.0, 127.0]) * s
        elif kind == 1:  # Q4_0: max −8·s (or ±8·s, first wins); x·id + 8.5 lands on integers
            b[:] = (rng.integers(-8, 8, BLOCK) + 0.5) * s
            near = rng.random(BLOCK) < 0.3
            b[near] *= 1.0 + rng.choice([-1.0, 1.0], near.sum()) * 2.0 ** -23
            p, q = rng.choice(BLOCK, 2, replace=False)
            b[p] = -8.0 * s
            if i % 2:
                b[q] = 8.0 * s
        elif kind == 2:  # fp16 ties: halfway between neighbouring halves, normal and subnormal
            k = rng.integers(-14, 15, BLOCK)
            b[:] = (1.0 + (2 * rng.integers(0, 512, BLOCK) + 1) * 2.0 ** -11) * 2.0 ** k
            b[::4] = (2 * rng.integers(0, 64, len(b[::4])) + 1) * 2.0 ** -25
            b *= rng.choice([-1.0, 1.0], BLOCK)
        elif kind == 3:  # bf16 ties
            k = rng.integers(-40, 16, BLOCK)
            b[:] = (1.0 + (2 * rng.integers(0, 64, BLOCK) + 1) * 2.0 ** -8) * 2.0 ** k
            b *= rng.choice([-1.0, 1.0], BLOCK)
        else:            # MXFP4: amax 6·s gives scale s; midpoints between E2M1 values tie
            mids = np.array([0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5.0])
            b[:] = rng.choice(mids, BLOCK) * rng.choice([-1.0, 1.0], BLOCK) * s
            b[rng.integers(BLOCK)] = rng.choice([-6.0, 6.0]) * s
    return x


def tiny(rng):
    """fp16 subnormals and underflow, tiny blocks (kept where ggml's 1/d stays finite)."""
    x = np.zeros((ROWS, COLS))
    specials = np.array([2.0 ** -14, 2.0 ** -14 * (1 - 2.0 ** -11), 2.0 ** -24, 2.0 ** -25,
                         1.5 * 2.0 ** -24, 2.0 ** -25 * (1 + 2.0 ** -20), 3.0 * 2.0 ** -25,
                         2.0 ** -15 * (1 + 2.0 ** -11)])
    for i, (r, c) in enumerate(blocks(ROWS, COLS)):
        b = x[r, c:c + BLOCK]
        kind = i % 6
        if kind == 0:
            b[:] = rng.normal(0.0, 1e-6, BLOCK)
        elif kind == 1:
            b[:] = rng.normal(0.0, 1e-8, BLOCK)
        elif kind == 2:
            b[:] = rng.normal(0.0, 1e-20, BLOCK)
        elif kind == 3:
            b[:] = rng.normal(0.0, 1e-33, BLOCK)
            b[0] = 1e-33             # keeps amax well above ggml's 1/d overflow point
        elif kind == 4:              # one ordinary value among float subnormals and tiny normals
            b[:] = rng.choice([1e-30, -1e-36, 1e-39, -3e-41, 1e-45], BLOCK)
            b[rng.integers(BLOCK)] = rng.choice([-1.0, 1.0])
        else:
            b[:] = rng.choice(specials, BLOCK) * rng.choice([-1.0, 1.0], BLOCK)
    return x


def large(rng):
    """Magnitudes up to fp16's largest finite value (inf would fail llama-quantize's validation)."""
    x = rng.normal(0.0, 1.0, (ROWS, COLS)) * 10.0 ** rng.uniform(1.0, 4.0, (ROWS, COLS))
    x = np.clip(x, -65000.0, 65000.0)
    for i, (r, c) in enumerate(blocks(ROWS, COLS)):
        if i % 4 == 0:
            b = x[r, c:c + BLOCK]
            b[rng.choice(BLOCK, 4, replace=False)] = [F16_MAX, -65519.99, 65488.0, -65472.0 - 16.0]
    return x


def signed_max(rng):
    """Blocks whose largest magnitude is negative, or present with both signs (first one wins)."""
    x = rng.normal(0.0, 1.0, (ROWS, COLS))
    for i, (r, c) in enumerate(blocks(ROWS, COLS)):
        b = x[r, c:c + BLOCK]
        m = np.abs(b).max() * rng.uniform(1.1, 3.0)
        p, q = rng.choice(BLOCK, 2, replace=False)
        kind = i % 4
        if kind == 0:
            b[p] = -m
        elif kind == 1:
            b[p], b[q] = -m, m
        elif kind == 2:
            b[p], b[q] = m, -m
        else:
            b[p] = m
    return x


def scales(rng):
    """Block scales spread over many binades; the block maximum sits a few ulps below a power of two
    (libm's log2f rounds some of these up, which moves MXFP4's shared exponent)."""
    x = np.zeros((ROWS, COLS))
    exps = list(range(-120, -100, 3)) + list(range(-70, -60, 2)) + list(range(-40, -30, 2)) \
        + list(range(-20, 16))
    for i, (r, c) in enumerate(blocks(ROWS, COLS)):
        b = x[r, c:c + BLOCK]
        e = int(rng.choice(exps))
        b[:] = rng.uniform(-1.0, 1.0, BLOCK) * 2.0 ** e
        ulps = int(rng.choice([0, 1, 2, 3, 5, 6, 11, 12, 22, 23, 44, 45]))
        top = f32(2.0 ** (e + 1))
        amax = bits_to_f32(top.view(np.uint32) - ulps) if ulps else f32(2.0 ** e * 1.5)
        b[rng.integers(BLOCK)] = float(amax) * rng.choice([-1.0, 1.0])
    return x


TENSORS = [
    ("token_embd.weight", normal),
    ("blk.0.attn_q.weight", outliers),
    ("blk.0.attn_k.weight", sparse),
    ("blk.0.attn_v.weight", ties),
    ("blk.0.attn_output.weight", tiny),
    ("blk.0.ffn_gate.weight", large),
    ("blk.0.ffn_up.weight", signed_max),
    ("blk.0.ffn_down.weight", scales),
]
NORMS = ["blk.0.attn_norm.weight", "blk.0.ffn_norm.weight", "output_norm.weight"]


def edge_set(rng):
    """Values llama-quantize never passes to the quantizers: each 32-element block is one recipe."""
    fmax = float(np.finfo(np.float32).max)
    nan, inf = float("nan"), float("inf")

    def base(at):
        """A normal block with the values of {index: value} put in."""
        b = rng.normal(0.0, 1.0, BLOCK).astype(np.float32)
        for j, v in at.items():
            b[j] = v
        return b

    recipes = [
        base({0: nan}), base({13: nan}), base({31: nan}),                  # NaN first / middle / last
        base({5: inf}), base({7: -inf, 20: inf}),
        np.full(BLOCK, nan, np.float32),
        np.full(BLOCK, -0.0, np.float32),
        rng.choice(np.array([1e-45, -1e-45, 3e-42, -1.1754942e-38, 0.0], np.float32), BLOCK),
        (rng.normal(0.0, 1e-37, BLOCK)).astype(np.float32),          # Q8_0's and Q4_0's 1/d overflow
        (rng.normal(0.0, 1e-38, BLOCK)).astype(np.float32),          # MXFP4's exponent byte wraps
        base({3: fmax, 4: -fmax}), base({1: 1e38}),
        np.array([65504.0, 65519.99, 65520.0, -65520.0, 65536.0, 1e5, -7e4, 65488.0] * 4, np.float32),
        (rng.normal(0.0, 1.0, BLOCK) * 1e7).astype(np.float32),      # Q8_0's scale overflows fp16
        bits_to_f32([0x7F800001, 0xFF800001, 0x7FC00000, 0xFFC00000, 0x7FBFFFFF, 0x7FFFFFFF,
                     0xFFFF0001, 0x7F80FFFF] * 4),                   # NaN payloads, signalling too
    ]
    while len(recipes) < EDGE_ROWS * EDGE_COLS // BLOCK:             # random bit patterns
        recipes.append(bits_to_f32(rng.integers(0, 2 ** 32, BLOCK, dtype=np.uint64).astype(np.uint32)))
    return np.concatenate(recipes).reshape(EDGE_ROWS, EDGE_COLS)


# ---- llama.cpp ------------------------------------------------------------------------------

def write_f32_gguf(path, tensors):
    w = gguf.GGUFWriter(path, "llama")
    w.add_name("vireo-quant-fixture")
    w.add_context_length(64)
    w.add_embedding_length(COLS)
    w.add_block_count(1)
    w.add_feed_forward_length(COLS)
    w.add_head_count(4)
    w.add_head_count_kv(4)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    for name, data in tensors:
        w.add_tensor(name, data)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def run(cmd):
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        sys.stderr.write(res.stdout + res.stderr)
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return res.stdout


def quantized_bytes(path, ggml_name, names, rows, cols):
    """The raw bytes of each named tensor in a quantized GGUF, checking type and shape."""
    reader = gguf.GGUFReader(path)
    by_name = {t.name: t for t in reader.tensors}
    expected = gguf.GGMLQuantizationType[ggml_name]
    out = []
    for name in names:
        t = by_name[name]
        if t.tensor_type != expected:
            raise SystemExit(f"{path}: {name} is {t.tensor_type.name}, expected {ggml_name}")
        if list(t.shape) != [cols, rows]:
            raise SystemExit(f"{path}: {name} has ggml shape {list(t.shape)}")
        raw = np.ascontiguousarray(t.data).view(np.uint8).tobytes()
        if len(raw) != t.n_bytes:
            raise SystemExit(f"{path}: {name} has {len(raw)} bytes, header says {t.n_bytes}")
        out.append(raw)
    kept = sorted(f"{t.name}={t.tensor_type.name}" for t in reader.tensors if t.name not in names)
    return b"".join(out), kept


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quantize", required=True, help="path of the llama-quantize binary")
    ap.add_argument("--ggml-ref", required=True, help="path of the compiled ggml_ref helper")
    ap.add_argument("--out", required=True, help="fixture directory (core/src/test/resources/quant)")
    ap.add_argument("--work", required=True, help="scratch directory for GGUF files")
    ap.add_argument("--source", default="", help="llama.cpp version line for the manifest")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    os.makedirs(args.work, exist_ok=True)

    rng = np.random.default_rng(SEED)
    tensors = [(name, gen(rng).astype(np.float32)) for name, gen in TENSORS]
    for name, data in tensors:
        with np.errstate(over="ignore"):
            if not np.all(np.isfinite(data.astype(np.float16))):  # F16 validation rejects inf
                raise SystemExit(f"{name}: values llama-quantize would reject")
    norms = [(name, np.ones(COLS, dtype=np.float32)) for name in NORMS]
    names = [n for n, _ in tensors]
    inputs = b"".join(d.tobytes() for _, d in tensors)
    with open(os.path.join(args.out, "inputs.f32"), "wb") as f:
        f.write(inputs)
    src = os.path.join(args.work, "fixture-f32.gguf")
    write_f32_gguf(src, tensors + norms)

    manifest = ["# Vireo quantization fixtures: regenerate with tools/quant-fixtures/regenerate.sh",
                f"source {args.source}", f"seed {SEED}"]
    manifest += run([args.ggml_ref, "traits"]).strip().split("\n")
    manifest += [f"tensor {name} {ROWS} {COLS} {gen.__name__}" for name, gen in TENSORS]
    n = len(tensors) * ROWS * COLS
    for ftype, ggml_name, type_id in TYPES:
        dst = os.path.join(args.work, f"fixture-{ggml_name}.gguf")
        run([args.quantize, "--pure", src, dst, ftype, "1"])
        data, kept = quantized_bytes(dst, ggml_name, names, ROWS, COLS)
        print(f"{ggml_name:6s} {len(data):7d} bytes; other tensors: {' '.join(kept)}")
        if ggml_name == "F32":
            if data != inputs:
                raise SystemExit("llama-quantize F32 did not copy the inputs unchanged")
            manifest.append(f"quantized {ggml_name} inputs.f32 inputs.f32")
            continue
        qfile, dfile = f"{ggml_name}.q", f"{ggml_name}.deq"
        with open(os.path.join(args.out, qfile), "wb") as f:
            f.write(data)
        run([args.ggml_ref, "dequant", str(type_id), os.path.join(args.out, qfile),
             os.path.join(args.out, dfile), str(n)])
        manifest.append(f"quantized {ggml_name} {qfile} {dfile}")

    edge = edge_set(rng)
    edge.tofile(os.path.join(args.out, "edge.f32"))
    manifest.append(f"edge {EDGE_ROWS} {EDGE_COLS} edge.f32")
    for ggml_name, type_id in EDGE_TYPES:
        qfile, dfile = f"edge.{ggml_name}.q", f"edge.{ggml_name}.deq"
        run([args.ggml_ref, "quantize", str(type_id), os.path.join(args.out, "edge.f32"),
             os.path.join(args.out, qfile), str(EDGE_ROWS), str(EDGE_COLS)])
        run([args.ggml_ref, "dequant", str(type_id), os.path.join(args.out, qfile),
             os.path.join(args.out, dfile), str(EDGE_ROWS * EDGE_COLS)])
        manifest.append(f"edgequantized {ggml_name} {qfile} {dfile}")

    run([args.ggml_ref, "conversions", os.path.join(args.out, "conversions.txt")])
    manifest.append("conversions conversions.txt")
    with open(os.path.join(args.out, "manifest.txt"), "w") as f:
        f.write("\n".join(manifest) + "\n")
    total = sum(os.path.getsize(os.path.join(args.out, p)) for p in os.listdir(args.out))
    print(f"fixtures in {args.out}: {total} bytes")


if __name__ == "__main__":
    main()
