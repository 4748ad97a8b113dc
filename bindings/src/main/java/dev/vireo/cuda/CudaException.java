/*
 * A CUDA driver call that returned an error: the message names the call with its arguments (C
 * parameter names from CudaDriver.PROTOTYPES, pointers in hex), the CUDA error name and code, and
 * the driver's own description, e.g.
 *
 *   cuMemAlloc_v2(dptr=0x7f3a2c001000, bytesize=1073741824) failed: CUDA_ERROR_OUT_OF_MEMORY (2): out of memory
 *
 * Tested by CudaExceptionTest (formatting needs no driver).
 */
package dev.vireo.cuda;

import dev.vireo.cuda.ffi.CPrototype;
import dev.vireo.cuda.ffi.CudaDriver;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Optional;

/** A CUDA driver call failed. */
public final class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String errorName;
    private final String call;

    /**
     * @param code the CUresult
     * @param errorName its enum name (cuGetErrorName), or null if the driver does not know it
     * @param errorString the driver's description (cuGetErrorString), or null
     * @param call the call as {@link #describeCall} writes it, or a kernel launch described in words
     */
    public CudaException(int code, String errorName, String errorString, String call) {
        super(call + " failed: " + (errorName != null ? errorName : "CUresult") + " (" + code + ")"
                + (errorString != null && !errorString.isEmpty() ? ": " + errorString : ""));
        this.code = code;
        this.errorName = errorName != null ? errorName : "CUresult " + code;
        this.call = call;
    }

    /** The CUresult. */
    public int code() {
        return code;
    }

    /** The CUresult's name, such as {@code CUDA_ERROR_OUT_OF_MEMORY}. */
    public String errorName() {
        return errorName;
    }

    /** The failed call with its arguments. */
    public String call() {
        return call;
    }

    /**
     * {@code function(name=value, ...)} with the C parameter names of a function in
     * CudaDriver.PROTOTYPES ({@code function(value, ...)} for any other name). Pointers, handles and
     * device addresses print in hex (0 as NULL); Strings as they are (a kernel's name in place of
     * its handle reads better than an address).
     */
    public static String describeCall(String function, Object... args) {
        Optional<CPrototype> prototype = CudaDriver.prototype(function);
        List<CPrototype.Parameter> params = prototype.map(CPrototype::parameters).orElse(List.of());
        StringBuilder sb = new StringBuilder(function).append('(');
        for (int i = 0; i < args.length; i++) {
            CPrototype.Parameter p = i < params.size() ? params.get(i) : null;
            if (i > 0) {
                sb.append(", ");
            }
            if (p != null) {
                sb.append(p.name()).append('=');
            }
            sb.append(value(args[i], p != null && (p.isAddress() || p.isDeviceAddress())));
        }
        return sb.append(')').toString();
    }

    private static String value(Object v, boolean address) {
        return switch (v) {
            case null -> "NULL";
            case MemorySegment s -> hex(s.address());
            case Long l when address -> hex(l);
            case Byte b -> Integer.toString(Byte.toUnsignedInt(b));
            default -> String.valueOf(v);
        };
    }

    private static String hex(long address) {
        return address == 0 ? "NULL" : "0x" + Long.toHexString(address);
    }
}
