/*
 * A kernel's parameter list as its launcher builds it: the contract between a .cu file and the Java
 * that launches it. Each launcher declares one per kernel, checks its argument list against it
 * before every launch (so a launcher bug is caught in Java even where the driver cannot report
 * parameter sizes), and KernelSignaturesTest compares every declaration with the kernel's C
 * signature in src/main/cuda, so a kernel and its launcher cannot drift apart unnoticed, with or
 * without a GPU.
 */
package dev.vireo.cuda.ops;

import dev.vireo.cuda.KernelArgs;
import java.util.List;

/**
 * @param name the kernel's {@code extern "C"} name
 * @param params the kind of each parameter, in order
 */
record KernelSignature(String name, List<KernelArgs.Kind> params) {
    KernelSignature(String name, KernelArgs.Kind... params) {
        this(name, List.of(params));
    }

    /** @throws IllegalStateException if {@code args} does not have these kinds in this order (a launcher bug) */
    KernelArgs check(KernelArgs args) {
        boolean same = args.count() == params.size();
        for (int i = 0; same && i < params.size(); i++) {
            same = args.kind(i) == params.get(i);
        }
        if (!same) {
            throw new IllegalStateException("launcher of " + name + " built " + args + ", the kernel takes " + params);
        }
        return args;
    }
}
