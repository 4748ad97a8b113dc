// RMSNorm, plain and fused with the residual add that precedes it in every transformer block.
// Reference: Ops.rmsNorm and Ops.add (RefOps is the oracle): out = x / sqrt(mean(x²) + eps) · w.
// Tested against RefOps by RmsNormKernelTest (tag `cuda`, NMSE ≤ 1e-12 like the CPU conformance
// suite; the residual output of the fused kernel ≤ 1e-14, one rounding).
//
// Grid: one block per row; block: a multiple of 32 threads, at most 1024 (RmsNorm.threadsFor picks
// min(1024, dim rounded up to 32)). Each thread strides over the row, so loads are coalesced.
// Numerics: float sum of squares in a tree (relative error ~ε·log2(dim)), IEEE sqrtf and division
// (no fast-math), then two float products per element.
#include "common.cuh"

// x, out [rows, dim]; w [dim] F32. out may alias x.
extern "C" __global__ void __launch_bounds__(1024)
rms_norm_f32(const float* x, const float* __restrict__ w, float* out, int dim, float eps) {
    const size_t row = (size_t) blockIdx.x * dim;
    float ss = 0.0f;
    for (int i = threadIdx.x; i < dim; i += blockDim.x) {
        const float v = x[row + i];
        ss += v * v;
    }
    ss = block_sum(ss);
    const float inv = 1.0f / sqrtf(ss / (float) dim + eps);
    for (int i = threadIdx.x; i < dim; i += blockDim.x) {
        out[row + i] = x[row + i] * inv * w[i];
    }
}

// The residual add and the next norm in one pass over the row:
//   x   = x + delta                      (the residual stream, updated in place)
//   out = x / sqrt(mean(x²) + eps) · w   (the input of the next sublayer)
// x, delta, out [rows, dim]; w [dim] F32. out may alias delta, not x.
// Pass 2 re-reads x[i] that the same thread wrote in pass 1, so no barrier is needed for it.
extern "C" __global__ void __launch_bounds__(1024)
add_rms_norm_f32(float* x, const float* delta, const float* __restrict__ w, float* out, int dim, float eps) {
    const size_t row = (size_t) blockIdx.x * dim;
    float ss = 0.0f;
    for (int i = threadIdx.x; i < dim; i += blockDim.x) {
        const float h = x[row + i] + delta[row + i];
        x[row + i] = h;
        ss += h * h;
    }
    ss = block_sum(ss);
    const float inv = 1.0f / sqrtf(ss / (float) dim + eps);
    for (int i = threadIdx.x; i < dim; i += blockDim.x) {
        out[row + i] = x[row + i] * inv * w[i];
    }
}
