/*
 * CudaException's message without a driver: the call with its C parameter names, pointers and
 * device addresses in hex, numbers in decimal, then the error's name, code and description.
 */
package dev.vireo.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class CudaExceptionTest {

    @Test
    void callsPrintWithTheirCParameterNames() {
        assertEquals("cuMemAlloc_v2(dptr=0x7f3a2c001000, bytesize=1073741824)",
                CudaException.describeCall("cuMemAlloc_v2", MemorySegment.ofAddress(0x7f3a2c001000L), 1L << 30));
        // CUdeviceptr in hex, size_t in decimal, a NULL stream
        assertEquals("cuMemcpyDtoDAsync_v2(dstDevice=0x7f0000200000, srcDevice=0x7f0000000000, ByteCount=4096,"
                + " hStream=NULL)", CudaException.describeCall("cuMemcpyDtoDAsync_v2", 0x7f0000200000L, 0x7f0000000000L,
                4096L, MemorySegment.NULL));
        // unsigned char prints unsigned; a kernel name may stand in for its handle
        assertEquals("cuMemsetD8Async(dstDevice=0x1000, uc=255, N=16, hStream=0x20)",
                CudaException.describeCall("cuMemsetD8Async", 0x1000L, (byte) -1, 16L, MemorySegment.ofAddress(0x20)));
        assertEquals("cuFuncGetAttribute(pi=0x10, attrib=4, hfunc=gemv_q8_0)",
                CudaException.describeCall("cuFuncGetAttribute", MemorySegment.ofAddress(0x10), 4, "gemv_q8_0"));
        assertEquals("cuCtxSynchronize()", CudaException.describeCall("cuCtxSynchronize"));
    }

    @Test
    void unknownFunctionsAndExtraArgumentsPrintPlainly() {
        assertEquals("myCall(1, 0x10, NULL)",
                CudaException.describeCall("myCall", 1, MemorySegment.ofAddress(0x10), null));
        assertEquals("cuInit(Flags=0, 7)", CudaException.describeCall("cuInit", 0, 7));
    }

    @Test
    void messageNamesTheCallTheErrorAndItsDescription() {
        CudaException e = new CudaException(2, "CUDA_ERROR_OUT_OF_MEMORY", "out of memory",
                "cuMemAlloc_v2(dptr=0x7f3a2c001000, bytesize=1073741824)");
        assertEquals("cuMemAlloc_v2(dptr=0x7f3a2c001000, bytesize=1073741824) failed: CUDA_ERROR_OUT_OF_MEMORY (2):"
                + " out of memory", e.getMessage());
        assertEquals(2, e.code());
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", e.errorName());
        CudaException unknown = new CudaException(12345, null, null, "cuInit(Flags=0)");
        assertEquals("cuInit(Flags=0) failed: CUresult (12345)", unknown.getMessage());
        assertEquals("CUresult 12345", unknown.errorName());
    }
}
