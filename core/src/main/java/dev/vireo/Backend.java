/*
 * Which Ops implementation runs a model.
 */
package dev.vireo;

/** The compute backends. */
public enum Backend {
    /** The Vector API CPU backend. */
    CPU,
    /** The scalar reference backend: slow, the oracle for the others. */
    REFERENCE,
    /**
     * Vireo's CUDA kernels on an NVIDIA GPU: needs the NVIDIA driver and the CUDA backend module
     * (vireo-cuda-kernels, in progress); without them loading fails with a message naming what is missing.
     */
    CUDA,
    /** CUDA where a GPU, its driver and the CUDA backend are found, the CPU otherwise. */
    AUTO
}
