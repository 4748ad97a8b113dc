/*
 * Which dimensions of a head RoPE rotates together (model-spec.md §1.4, §3.5).
 */
package dev.vireo.ops;

/** How the rotated dimensions of a head are paired. */
public enum RopeLayout {
    /** Half-split ("NeoX", HF rotate_half): dimension i pairs with i + rotaryDim/2. Qwen, gpt-oss, HF Llama. */
    NEOX,
    /** Adjacent pairs: dimension 2i pairs with 2i+1. llama.cpp's `llama` GGUFs (Q/K rows permuted). */
    NORM
}
