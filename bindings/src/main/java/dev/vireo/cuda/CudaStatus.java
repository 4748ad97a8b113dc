/*
 * What Cuda.status() found when it probed the driver: whether CUDA can be used and, if not, why.
 */
package dev.vireo.cuda;

/**
 * The result of probing the CUDA driver once per process.
 *
 * @param available whether the driver loaded, initialised and reports at least one device
 * @param reason why it is unavailable (one sentence naming what is missing); empty when available
 * @param driverVersion the driver's CUDA version as cuDriverGetVersion reports it (13000 for 13.0),
 *     0 when the driver did not load
 * @param deviceCount CUDA devices visible to this process
 */
public record CudaStatus(boolean available, String reason, int driverVersion, int deviceCount) {
    public CudaStatus {
        java.util.Objects.requireNonNull(reason, "reason");
        if (available != reason.isEmpty()) {
            throw new IllegalArgumentException("an available status has no reason, an unavailable one has one");
        }
    }

    /** The driver version as "13.0", or "none". */
    public String driverVersionText() {
        return versionText(driverVersion);
    }

    /** A cuDriverGetVersion number as "major.minor" (12040 is "12.4"); "none" for 0. */
    public static String versionText(int version) {
        return version == 0 ? "none" : version / 1000 + "." + version % 1000 / 10;
    }
}
