"""MXFP4 in ggml's 17-byte block: an exact port of quantize_row_mxfp4_ref, and fake quantization for
training.

ggml (ggml-quants.c), for each block of 32 values along a row:
  e = (uint8_t)(floorf(log2f(amax)) - 2 + 127), or 0 for an all-zero block;
  d = 2^(e - 128) (the doubled-E2M1 convention: codes hold twice the E2M1 value);
  each value takes the first code k of {0,1,2,3,4,6,8,12,-0,-1,...,-12} with the least float error
  |k*d - x| (an exact midpoint goes to the smaller magnitude, zero to code 0);
  the block is e, then 16 bytes holding element j in the low nibble and j + 16 in the high nibble.
libm's log2f rounds up to the next integer for values a few ulps below a power of two; floor_log2f
reproduces that (log2 in double, rounded once to float), as Vireo's Mxfp4Quantizer does. The bytes are
checked against the Java quantizer by core's DemoMxfp4Test (a few rows and their expected blocks).
"""
import math

import numpy as np
import torch

DOUBLED_E2M1 = np.array([0, 1, 2, 3, 4, 6, 8, 12, 0, -1, -2, -3, -4, -6, -8, -12], dtype=np.float32)
BLOCK = 32
BLOCK_BYTES = 17


def floor_log2f(x):
    """floorf(log2f(x)) for a positive finite float32 x, as glibc computes it."""
    x = np.float32(x)
    m, e = math.frexp(float(x))          # x = m * 2^e, m in [0.5, 1)
    exp = e - 1                          # x = (2m) * 2^exp, 2m in [1, 2)
    log2 = np.float32(exp + math.log(2.0 * m) / math.log(2.0))
    return exp + 1 if float(log2) >= exp + 1 else exp


def half_scale(e):
    """2^(e - 128) as float32 (e = 0, 1 give the subnormals 2^-128, 2^-127)."""
    return np.float32(math.ldexp(1.0, e - 128))


def quantize_rows(x):
    """x float32 [rows, n] (n a multiple of 32) -> uint8 [rows, n / 32 * 17] ggml MXFP4 blocks."""
    x = np.ascontiguousarray(x, dtype=np.float32)
    rows, n = x.shape
    if n % BLOCK:
        raise ValueError("row length %d is not a multiple of %d" % (n, BLOCK))
    blocks = x.reshape(-1, BLOCK)
    amax = np.abs(blocks).max(axis=1)
    e = np.zeros(len(blocks), dtype=np.int64)
    for i, a in enumerate(amax):
        if a > 0:
            if not np.isfinite(a) or a < 2.0 ** -100:
                raise ValueError("block %d: amax %r outside the range this port handles" % (i, a))
            e[i] = (floor_log2f(a) - 2 + 127) & 0xFF
    d = np.array([half_scale(int(v)) for v in e], dtype=np.float32)
    # float32 errors |k*d - x|; argmin takes the first of equal errors, as ggml's loop does.
    err = np.abs(DOUBLED_E2M1[None, None, :] * d[:, None, None] - blocks[:, :, None])
    codes = np.argmin(err, axis=2).astype(np.uint8)                       # [blocks, 32]
    out = np.empty((len(blocks), BLOCK_BYTES), dtype=np.uint8)
    out[:, 0] = e.astype(np.uint8)
    out[:, 1:] = codes[:, :16] | (codes[:, 16:] << 4)
    return out.reshape(rows, -1)


def dequantize_rows(q, n):
    """uint8 [rows, n / 32 * 17] -> float32 [rows, n]."""
    b = q.reshape(-1, BLOCK_BYTES)
    d = np.array([half_scale(int(v)) for v in b[:, 0]], dtype=np.float32)
    lo = DOUBLED_E2M1[b[:, 1:] & 0x0F]
    hi = DOUBLED_E2M1[b[:, 1:] >> 4]
    vals = np.concatenate([lo, hi], axis=1) * d[:, None]
    return vals.reshape(q.shape[0], n).astype(np.float32)


_GRID = torch.tensor([0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0])


def fake_quantize(w):
    """MXFP4 quantize-dequantize along the last dimension with a straight-through gradient.

    Same scale rule as ggml (2^(floor(log2 amax) - 2)) and nearest E2M1 magnitude; ties and the
    log2f rounding quirk are not reproduced exactly: this only steers training towards weights that
    survive quantization, the file itself is written by quantize_rows.
    """
    shape = w.shape
    b = w.detach().reshape(-1, BLOCK)
    amax = b.abs().amax(dim=1, keepdim=True).clamp(min=1e-30)
    scale = torch.exp2(torch.floor(torch.log2(amax)) - 2)
    mag = (b.abs() / scale).unsqueeze(-1)
    idx = (mag - _GRID).abs().argmin(dim=-1)
    q = (_GRID[idx] * scale * torch.sign(b)).reshape(shape)
    return w + (q - w).detach()
