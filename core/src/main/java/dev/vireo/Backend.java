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
    /** Vireo's CUDA kernels on an NVIDIA GPU (not available in this build). */
    CUDA,
    /** CUDA where a GPU and its driver are found, the CPU otherwise. */
    AUTO
}
