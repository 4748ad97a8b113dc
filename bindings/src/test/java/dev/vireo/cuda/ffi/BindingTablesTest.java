/*
 * The binding tables against the Java methods, without any native library: every listed function
 * is a valid, unique C identifier, has exactly one public static method of that name whose Java
 * type is what its C prototype links to, and its own holder class (so each links lazily and alone);
 * and every public static method that is not a helper is listed. A function added on one side only
 * fails here.
 */
package dev.vireo.cuda.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BindingTablesTest {
    /** Public static methods of the holder classes that are not bindings. */
    private static final Set<String> HELPERS = Set.of("library", "prototype");

    private static List<CPrototype> table(Class<?> holder) throws ReflectiveOperationException {
        @SuppressWarnings("unchecked")
        List<CPrototype> t = (List<CPrototype>) holder.getField("PROTOTYPES").get(null);
        return t;
    }

    @ParameterizedTest
    @ValueSource(classes = {CudaDriver.class, Nvrtc.class, CublasLt.class})
    void everyListedFunctionHasOneMethodOfItsCType(Class<?> holder) throws ReflectiveOperationException {
        List<CPrototype> table = table(holder);
        Set<String> seen = new HashSet<>();
        for (CPrototype p : table) {
            assertTrue(p.name().matches("[A-Za-z_][A-Za-z0-9_]*"), p.name() + " is not a C identifier");
            assertTrue(seen.add(p.name()), p.name() + " is listed twice");
            List<Method> methods = Arrays.stream(holder.getDeclaredMethods())
                    .filter(m -> m.getName().equals(p.name())).toList();
            assertEquals(1, methods.size(), holder.getSimpleName() + " methods named " + p.name());
            Method m = methods.getFirst();
            assertTrue(Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()), p.name());
            assertEquals(p.descriptor().toMethodType(), MethodType.methodType(m.getReturnType(), m.getParameterTypes()),
                    "Java type of " + p);
            assertTrue(Arrays.stream(holder.getDeclaredClasses()).anyMatch(c -> c.getSimpleName().equals(p.name())),
                    p.name() + " has no holder class of its own");
        }
        Set<String> methods = Arrays.stream(holder.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers()))
                .map(Method::getName).filter(n -> !HELPERS.contains(n)).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(seen), methods, holder.getSimpleName() + ": methods vs PROTOTYPES");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cuInit", "cuDeviceGet", "cuDeviceGetCount", "cuDeviceGetAttribute", "cuDeviceGetName",
        "cuDeviceTotalMem_v2", "cuDevicePrimaryCtxRetain", "cuDevicePrimaryCtxRelease_v2", "cuCtxSetCurrent",
        "cuCtxSynchronize", "cuModuleLoadData", "cuModuleGetFunction", "cuModuleUnload", "cuFuncGetAttribute",
        "cuLaunchKernel", "cuMemAlloc_v2", "cuMemFree_v2", "cuMemcpyHtoDAsync_v2", "cuMemcpyDtoHAsync_v2",
        "cuMemcpyDtoDAsync_v2", "cuMemsetD8Async", "cuMemHostRegister_v2", "cuMemHostUnregister", "cuStreamCreate",
        "cuStreamDestroy_v2", "cuStreamSynchronize", "cuEventCreate", "cuEventRecord", "cuEventSynchronize",
        "cuEventElapsedTime_v2", "cuEventDestroy_v2", "cuStreamBeginCapture_v2", "cuStreamEndCapture",
        "cuGraphInstantiateWithFlags", "cuGraphLaunch", "cuGraphExecDestroy", "cuGraphDestroy", "cuGetErrorName",
        "cuGetErrorString", "cuDriverGetVersion"})
    void theDriverFunctionsVireoNeedsAreBound(String name) {
        assertTrue(CudaDriver.prototype(name).isPresent(), name);
    }
}
