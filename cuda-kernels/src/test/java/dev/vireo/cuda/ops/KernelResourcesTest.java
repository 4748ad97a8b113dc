/*
 * What the build packaged, without a GPU: where nvcc was present, every .cu under src/main/cuda is a
 * fatbin resource (fatbin magic, listed in kernels.properties with the architectures asked for);
 * where it was absent, no kernels at all, and loading says how to get them.
 */
package dev.vireo.cuda.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vireo.cuda.CudaUnavailableException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class KernelResourcesTest {
    /** The first word of a fatbin container. */
    private static final int FATBIN_MAGIC = 0xBA55ED50;

    private static List<String> sources() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("src/main/cuda"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cu"))
                    .map(n -> n.substring(0, n.length() - 3)).sorted().toList();
        }
    }

    @Test
    void everyKernelFileIsPackagedWhereNvccWasPresent() throws IOException {
        Properties info = CudaKernels.buildInfo().orElse(null);
        if (info == null) {
            for (String stem : sources()) {
                assertTrue(CudaKernels.image(stem).isEmpty(), stem + " packaged without kernels.properties");
            }
            return;
        }
        assertEquals(sources(), List.of(info.getProperty("modules").split(" ")));
        assertTrue(info.getProperty("sass").contains("sm_90a") && info.getProperty("ptx").startsWith("compute_"),
                info.toString());
        for (String stem : sources()) {
            byte[] image = CudaKernels.image(stem).orElseThrow(() -> new AssertionError(stem + ".fatbin missing"));
            assertTrue(image.length > 64, stem);
            assertEquals(FATBIN_MAGIC, ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getInt(0), stem);
        }
    }

    @Test
    void aMissingModuleIsExplainedBeforeAnyDriverCall() {
        // The image is looked up before the context is touched, so no GPU is needed to see the message.
        String message = assertThrows(CudaUnavailableException.class,
                () -> CudaKernels.load(null, "no_such_module")).getMessage();
        if (CudaKernels.buildInfo().isEmpty()) {
            assertTrue(message.startsWith("this build of Vireo has no CUDA kernels (nvcc was not found") && message.contains(
                    "CUDA_HOME"), message);
        } else {
            assertEquals("this build of Vireo has no CUDA module no_such_module (built: "
                    + CudaKernels.buildInfo().get().getProperty("modules") + ")", message);
        }
    }
}
