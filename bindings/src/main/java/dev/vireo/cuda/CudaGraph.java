/*
 * An executable CUDA graph: the work a stream recorded between beginCapture and endCapture
 * (typically one decode step), replayed with one launch. The captured graph is destroyed once it is
 * instantiated; only the executable form is kept.
 */
package dev.vireo.cuda;

import static dev.vireo.cuda.ffi.CudaDriver.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A captured, instantiated graph of device work. */
public final class CudaGraph extends CudaResource {
    private final MemorySegment exec;

    private CudaGraph(CudaContext context, MemorySegment exec) {
        super(context);
        this.exec = exec;
    }

    static CudaGraph instantiate(CudaContext context, MemorySegment graph) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            Cuda.check(cuGraphInstantiateWithFlags(out, graph, 0L), "cuGraphInstantiateWithFlags", out, graph, 0L);
            CudaGraph g = new CudaGraph(context, out.get(ValueLayout.ADDRESS, 0));
            g.adopt();
            return g;
        } finally {
            Cuda.check(cuGraphDestroy(graph), "cuGraphDestroy", graph);
        }
    }

    /** Runs the graph on {@code stream}. */
    public void launch(CudaStream stream) {
        checkOpen();
        context.makeCurrent();
        Cuda.check(cuGraphLaunch(exec, stream.handle()), "cuGraphLaunch", exec, stream.handle());
    }

    @Override
    void release() {
        context.makeCurrent();
        Cuda.check(cuGraphExecDestroy(exec), "cuGraphExecDestroy", exec);
    }

    @Override
    String what() {
        return "CUDA graph 0x" + Long.toHexString(exec.address());
    }
}
