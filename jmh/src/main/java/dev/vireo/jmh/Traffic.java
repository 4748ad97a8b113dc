/*
 * The secondary results of the op benchmarks: gigabytes moved and floating-point operations done
 * per call, summed by the benchmark method; JMH divides them by the measured time, so they print as
 * GB/s ("gbytes") and GFLOP/s ("gflops") next to the calls per second (JMH prints their unit as
 * "ops/s"; it counts each iteration afresh, as MatvecBenchmark's figures show). What each op counts is
 * said in its benchmark (the bytes an op must at least stream, the multiply-adds its definition
 * needs): the question they answer is how near an op runs to the memory or arithmetic roof.
 */
package dev.vireo.jmh;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** GB and GFLOP counters, per thread, reported per second. */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Traffic {
    /** Gigabytes (10⁹ bytes) read and written. */
    public double gbytes;
    /** Giga floating-point operations (a multiply-add counts 2). */
    public double gflops;

    /** Counts one call that moved {@code bytes} and did {@code flops}. */
    void add(double bytes, double flops) {
        gbytes += bytes * 1e-9;
        gflops += flops * 1e-9;
    }
}
