/*
 * CPrototype: declarations parse into the expected types and names, print back in the same
 * spelling, map to the right FFM layouts, and anything outside the type table is refused.
 */
package dev.vireo.cuda.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

class CPrototypeTest {

    @Test
    void parsesPointersConstAndMultiWordTypes() {
        CPrototype p = CPrototype.parse("CUresult  cuMemcpyHtoDAsync_v2( CUdeviceptr dstDevice, const void* srcHost,"
                + " size_t ByteCount, CUstream hStream );");
        assertEquals("cuMemcpyHtoDAsync_v2", p.name());
        assertEquals("CUresult", p.returnType());
        assertEquals(List.of(new CPrototype.Parameter("CUdeviceptr", "dstDevice"),
                new CPrototype.Parameter("const void *", "srcHost"), new CPrototype.Parameter("size_t", "ByteCount"),
                new CPrototype.Parameter("CUstream", "hStream")), p.parameters());
        assertEquals(FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), p.descriptor());

        CPrototype q = CPrototype.parse("CUresult cuGetErrorName(CUresult error, const char **pStr)");
        assertEquals("const char **", q.parameters().get(1).type());
        CPrototype r = CPrototype.parse("CUresult cuGraphInstantiateWithFlags(CUgraphExec *phGraphExec, CUgraph hGraph,"
                + " unsigned long long flags)");
        assertEquals(ValueLayout.JAVA_LONG, r.descriptor().argumentLayouts().get(2));
        CPrototype s = CPrototype.parse("CUresult cuMemsetD8Async(CUdeviceptr dstDevice, unsigned char uc, size_t N,"
                + " CUstream hStream)");
        assertEquals(ValueLayout.JAVA_BYTE, s.descriptor().argumentLayouts().get(1));
    }

    @Test
    void voidParameterListsAndReturnTypes() {
        CPrototype p = CPrototype.parse("CUresult cuCtxSynchronize(void)");
        assertTrue(p.parameters().isEmpty());
        assertEquals(FunctionDescriptor.of(ValueLayout.JAVA_INT), p.descriptor());
        assertEquals(FunctionDescriptor.of(ValueLayout.JAVA_LONG), CPrototype.parse("size_t f()").descriptor());
        assertEquals(FunctionDescriptor.ofVoid(ValueLayout.ADDRESS), CPrototype.parse("void g(CUstream s)").descriptor());
    }

    @Test
    void printsBackWhatItParses() {
        for (List<CPrototype> table : List.of(CudaDriver.PROTOTYPES, Nvrtc.PROTOTYPES, CublasLt.PROTOTYPES)) {
            for (CPrototype p : table) {
                assertEquals(p, CPrototype.parse(p.toString()), p.toString());
            }
        }
        assertEquals("CUresult cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytesize)",
                CudaDriver.prototype("cuMemAlloc_v2").orElseThrow().toString());
    }

    @Test
    void refusesWhatItCannotSize() {
        assertThrows(IllegalArgumentException.class, () -> CPrototype.parse("CUresult f(long x)"));
        assertThrows(IllegalArgumentException.class, () -> CPrototype.parse("CUresult f(CUarray a)"));
        assertThrows(IllegalArgumentException.class, () -> CPrototype.parse("CUresult f(int (*cb)(void))"));
        assertThrows(IllegalArgumentException.class, () -> CPrototype.parse("not a declaration"));
        assertThrows(IllegalArgumentException.class, () -> new CPrototype("CUresult", "9lives", List.of()));
    }
}
