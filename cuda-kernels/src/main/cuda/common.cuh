// Helpers shared by Vireo's kernels: warp and block reductions, and the ggml block layouts as the
// model files store them. Every kernel is `extern "C"` (an unmangled name the Java launcher looks
// up), named <op>_<types>, and documented with its shapes, grid and numerics where it is defined.
#pragma once

#include <cuda_fp16.h>
#include <stdint.h>

#define VIREO_WARP 32

// Sum over the 32 lanes of a warp (butterfly: every lane gets the total).
static __device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
    for (int offset = 16; offset > 0; offset >>= 1) {
        v += __shfl_xor_sync(0xffffffffu, v, offset);
    }
    return v;
}

// Maximum over the 32 lanes of a warp (every lane gets it).
static __device__ __forceinline__ float warp_max(float v) {
#pragma unroll
    for (int offset = 16; offset > 0; offset >>= 1) {
        v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, offset));
    }
    return v;
}

// Sum over a one-dimensional block whose size is a multiple of 32 (at most 1024); every thread gets
// the total. Ends with a barrier, so it may be called again at once.
static __device__ __forceinline__ float block_sum(float v) {
    __shared__ float partial[32];
    const int lane = threadIdx.x % VIREO_WARP;
    const int warp = threadIdx.x / VIREO_WARP;
    v = warp_sum(v);
    if (lane == 0) {
        partial[warp] = v;
    }
    __syncthreads();
    const int warps = blockDim.x / VIREO_WARP;
    v = lane < warps ? partial[lane] : 0.0f;
    v = warp_sum(v);
    __syncthreads();
    return v;
}

// ggml's Q8_0 block (model-spec.md §3.3): an f16 scale d, then 32 signed 8-bit codes; value j is
// d·qs[j]. 34 bytes, so inside a row a block is only 2-byte aligned: read its codes 16 bits at a time.
struct block_q8_0 {
    __half d;
    int8_t qs[32];
};
static_assert(sizeof(block_q8_0) == 34, "Q8_0 blocks are 34 bytes");
