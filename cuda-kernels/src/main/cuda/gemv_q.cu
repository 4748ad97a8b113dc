// Quantized GEMV for decode: out[t, o] = Σ_i w[o, i]·x[t, i] with w in a ggml block type, computed
// as Ops.matmul defines it (see its javadoc): each activation row is first quantized to the
// weight's vec_dot type exactly as ggml's CPU backend does, then block dot products are taken in
// integers and scaled in float. For Q8_0 weights that is two kernels:
//
//   quantize_q8_0_f32  x [rows, k] F32 → codes q [rows, k] int8 and scales d [rows, k/32] F32, bit
//                      for bit ActivationQuantizers.Q8_0 (ggml's AVX2 quantize_row_q8_0):
//                      amax = max|x|, d = f16(amax/127), id = amax ? 127/amax : 0,
//                      q = saturate(round-half-even(x·id)); d is kept as the float value of its f16.
//                      (Only a NaN input differs: ggml's code becomes −128, here 0.)
//   gemv_q8_0          out[t, o] = Σ_b d_w[o,b]·d_x[t,b]·Σ_j w[o,b,j]·q[t,b,j]; the integer sums
//                      with __dp4a (exact), the float sum in any order (Ops allows it).
//
// The activation codes live in their own aligned arrays (not 34-byte blocks): they are scratch on
// the device, and 8-byte aligned codes load in one instruction. Weights keep ggml's layout as
// uploaded from the file.
// Tested against RefOps.matmul and ActivationQuantizers by GemvQKernelTest (tag `cuda`): codes and
// scales equal, outputs within NMSE 1e-10 as in the CPU conformance suite.
#include "common.cuh"

// Grid: ceil(blocks / 8) blocks of 256 threads, one warp per 32-value block; blocks = rows·k/32.
// x and q are [rows, k] with k a multiple of 32, so block b covers elements 32b..32b+31 of both.
extern "C" __global__ void __launch_bounds__(256)
quantize_q8_0_f32(const float* __restrict__ x, int8_t* __restrict__ q, float* __restrict__ d, long long blocks) {
    const long long b = (long long) blockIdx.x * (blockDim.x / VIREO_WARP) + threadIdx.x / VIREO_WARP;
    if (b >= blocks) {
        return; // whole warps leave together, so the shuffles below see all 32 lanes
    }
    const int lane = threadIdx.x % VIREO_WARP;
    const float v = x[b * 32 + lane];
    const float amax = warp_max(fabsf(v));
    // IEEE division and product spelled out: the result must not depend on -use_fast_math.
    const float id = amax != 0.0f ? __fdiv_rn(127.0f, amax) : 0.0f;
    const int code = __float2int_rn(__fmul_rn(v, id));
    q[b * 32 + lane] = (int8_t) max(-128, min(127, code));
    if (lane == 0) {
        d[b] = __half2float(__float2half_rn(__fdiv_rn(amax, 127.0f)));
    }
}

// Rows per thread block of gemv_q8_0: one warp each.
#define GEMV_ROWS 4

// w [m, k] Q8_0 (row o starts at byte o·(k/32)·34); q, d from quantize_q8_0 for n rows; out [n, m].
// Grid (ceil(m / GEMV_ROWS), n); block (32, GEMV_ROWS). In a warp, 4 lanes share a weight block,
// each taking 8 of its codes (two dp4a), so one step covers 8 consecutive blocks (272 bytes).
extern "C" __global__ void __launch_bounds__(32 * GEMV_ROWS)
gemv_q8_0(const uint8_t* __restrict__ w, const int8_t* __restrict__ q, const float* __restrict__ d,
          float* __restrict__ out, int m, int k) {
    const int row = blockIdx.x * GEMV_ROWS + threadIdx.y;
    if (row >= m) {
        return; // the whole warp: threadIdx.y is uniform in it
    }
    const int t = blockIdx.y;
    const int lane = threadIdx.x;
    const int part = lane % 4;  // which 8 codes of the block
    const int nb = k / 32;
    const block_q8_0* wrow = reinterpret_cast<const block_q8_0*>(w) + (size_t) row * nb;
    const int8_t* qrow = q + (size_t) t * k;
    const float* drow = d + (size_t) t * nb;

    float acc = 0.0f;
    for (int b = lane / 4; b < nb; b += VIREO_WARP / 4) {
        const block_q8_0* blk = wrow + b;
        const uint16_t* codes = reinterpret_cast<const uint16_t*>(blk->qs) + part * 4;
        const int w0 = (int) (codes[0] | ((uint32_t) codes[1] << 16));
        const int w1 = (int) (codes[2] | ((uint32_t) codes[3] << 16));
        const int2 a = *reinterpret_cast<const int2*>(qrow + b * 32 + part * 8);
        const int sum = __dp4a(w1, a.y, __dp4a(w0, a.x, 0));
        acc += (float) sum * (__half2float(blk->d) * drow[b]);
    }
    acc = warp_sum(acc);
    if (lane == 0) {
        out[(size_t) t * m + row] = acc;
    }
}
