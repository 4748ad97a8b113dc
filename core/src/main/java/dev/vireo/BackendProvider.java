/*
 * The hook through which a backend that lives outside core is found. Core cannot depend on the
 * CUDA backend (vireo-cuda-kernels depends on core for Ops), so that module names its provider in
 * META-INF/services/dev.vireo.BackendProvider and Backends finds it with java.util.ServiceLoader:
 * one explicit line in one file, the JDK's own mechanism for an optional module, and the only
 * lookup of its kind in Vireo (model families are an explicit table, see Architectures).
 */
package dev.vireo;

import dev.vireo.ops.Ops;

/** Opens the Ops of a backend that is not part of core. */
public interface BackendProvider {
    /** The backend this provides ({@link Backend#CUDA}). */
    Backend backend();

    /**
     * Opens the backend. Called only when the platform it needs is there (for CUDA: a driver that
     * reports a device); a failure is thrown, never turned into a silent fallback.
     */
    Ops open(LoadOptions options);
}
