/*
 * A C function declaration as the header spells it ("CUresult cuMemAlloc_v2(CUdeviceptr *dptr,
 * size_t bytesize)"), parsed into its name, parameters and the FFM FunctionDescriptor that calls it.
 *
 * The binding tables (CudaDriver.PROTOTYPES and the optional libraries) are lists of these strings,
 * so the one place that lists a library's functions is also the place that states their C
 * signatures: a reader compares it with the header line by line, and CudaHeaderTest does the same
 * against cuda.h where a CUDA toolkit is installed. The C types understood are exactly the ones the
 * tables use (see TYPES); anything else is rejected, so a new function with a new type is a
 * deliberate change here rather than a silent guess at its size.
 */
package dev.vireo.cuda.ffi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed C function declaration.
 *
 * @param returnType the C return type, normalised ({@code "CUresult"}, {@code "size_t"}, {@code "void"})
 * @param name the exported symbol
 * @param parameters the parameters in order (none for {@code (void)})
 */
public record CPrototype(String returnType, String name, List<Parameter> parameters) {

    /**
     * One parameter.
     *
     * @param type the C type, normalised: single spaces, pointer stars attached as {@code "const char **"}
     * @param name the parameter's name in the header
     */
    public record Parameter(String type, String name) {
        /** Whether the value is an address (a pointer or an opaque handle) rather than a number. */
        public boolean isAddress() {
            return layoutOf(type) instanceof java.lang.foreign.AddressLayout;
        }

        /** Whether the value is a device address (printed in hex like a pointer). */
        public boolean isDeviceAddress() {
            return type.equals("CUdeviceptr");
        }
    }

    /** The FFM carrier of a C pointer (jextract's C_POINTER). */
    public static final ValueLayout C_POINTER = ValueLayout.ADDRESS;

    /**
     * Scalar C types the tables use and their layouts on LP64 Linux (and LLP64 Windows: none of them
     * is a {@code long}). Enums are 32-bit ints; CUDA's opaque handles ({@code struct X_st *}) are
     * pointers; CUdeviceptr is {@code unsigned long long} on every 64-bit platform.
     */
    private static final Map<String, ValueLayout> TYPES = Map.ofEntries(
            Map.entry("int", ValueLayout.JAVA_INT),
            Map.entry("unsigned int", ValueLayout.JAVA_INT),
            Map.entry("unsigned char", ValueLayout.JAVA_BYTE),
            Map.entry("float", ValueLayout.JAVA_FLOAT),
            Map.entry("size_t", ValueLayout.JAVA_LONG),
            Map.entry("unsigned long long", ValueLayout.JAVA_LONG),
            // cuda.h scalar typedefs and enums
            Map.entry("CUresult", ValueLayout.JAVA_INT),
            Map.entry("CUdevice", ValueLayout.JAVA_INT),
            Map.entry("CUdeviceptr", ValueLayout.JAVA_LONG),
            Map.entry("CUdevice_attribute", ValueLayout.JAVA_INT),
            Map.entry("CUfunction_attribute", ValueLayout.JAVA_INT),
            Map.entry("CUstreamCaptureMode", ValueLayout.JAVA_INT),
            // cuda.h opaque handles
            Map.entry("CUcontext", C_POINTER),
            Map.entry("CUmodule", C_POINTER),
            Map.entry("CUfunction", C_POINTER),
            Map.entry("CUstream", C_POINTER),
            Map.entry("CUevent", C_POINTER),
            Map.entry("CUgraph", C_POINTER),
            Map.entry("CUgraphExec", C_POINTER),
            // nvrtc.h
            Map.entry("nvrtcResult", ValueLayout.JAVA_INT));

    private static final Pattern DECLARATION = Pattern.compile(
            "\\s*(?<ret>[A-Za-z_][A-Za-z0-9_ ]*?)\\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)\\s*\\((?<params>[^()]*)\\)\\s*;?\\s*");
    private static final Pattern PARAMETER = Pattern.compile(
            "(?<type>(?:const\\s+)?[A-Za-z_][A-Za-z0-9_]*(?:\\s+[A-Za-z_][A-Za-z0-9_]*)*?)\\s*(?<stars>(?:\\*\\s*)*)(?<name>[A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public CPrototype {
        if (!IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a C identifier: '" + name + "'");
        }
        parameters = List.copyOf(parameters);
        descriptor(returnType, parameters); // rejects unknown types now, not at the first call
    }

    /**
     * Parses {@code "RET name(TYPE a, TYPE *b)"} or {@code "RET name(void)"}; a trailing semicolon
     * and any amount of white space are allowed.
     *
     * @throws IllegalArgumentException if it is not such a declaration or uses a type not in the table
     */
    public static CPrototype parse(String declaration) {
        Matcher m = DECLARATION.matcher(declaration);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a C function declaration: '" + declaration + "'");
        }
        List<Parameter> params = new ArrayList<>();
        String list = m.group("params").strip();
        if (!list.isEmpty() && !list.equals("void")) {
            for (String p : list.split(",")) {
                Matcher pm = PARAMETER.matcher(p.strip());
                if (!pm.matches()) {
                    throw new IllegalArgumentException("cannot read parameter '" + p.strip() + "' of '" + declaration + "'");
                }
                String stars = pm.group("stars").replaceAll("\\s", "");
                String type = pm.group("type").strip().replaceAll("\\s+", " ");
                params.add(new Parameter(stars.isEmpty() ? type : type + " " + stars, pm.group("name")));
            }
        }
        return new CPrototype(m.group("ret").strip().replaceAll("\\s+", " "), m.group("name"), params);
    }

    /** The layout of a normalised C type, or empty for {@code void} and types not in the table. */
    public static Optional<ValueLayout> layout(String type) {
        if (type.endsWith("*")) {
            return Optional.of(C_POINTER);
        }
        return Optional.ofNullable(TYPES.get(type));
    }

    private static ValueLayout layoutOf(String type) {
        return layout(type).orElseThrow(() -> new IllegalArgumentException("C type '" + type
                + "' is not in CPrototype's table; add it with its size"));
    }

    private static FunctionDescriptor descriptor(String returnType, List<Parameter> parameters) {
        MemoryLayout[] args = parameters.stream().map(p -> layoutOf(p.type())).toArray(MemoryLayout[]::new);
        return returnType.equals("void") ? FunctionDescriptor.ofVoid(args)
                : FunctionDescriptor.of(layoutOf(returnType), args);
    }

    /** The descriptor a downcall handle for this function is linked with. */
    public FunctionDescriptor descriptor() {
        return descriptor(returnType, parameters);
    }

    /** The declaration in the normalised spelling parse() reads back. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(returnType).append(' ').append(name).append('(');
        if (parameters.isEmpty()) {
            sb.append("void");
        }
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            sb.append(i == 0 ? "" : ", ").append(p.type()).append(p.type().endsWith("*") ? "" : " ").append(p.name());
        }
        return sb.append(')').toString();
    }
}
