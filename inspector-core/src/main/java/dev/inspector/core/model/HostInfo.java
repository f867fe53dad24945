package dev.inspector.core.model;

/**
 * Facts about the machine, detected once. {@code pagingLevels} is 4 or 5 (la57); {@code highestUserAddress} the end
 * of the user half (exclusive); {@code thpMode} the selected word of transparent_hugepage/enabled. {@code features} is null when the
 * kernel features were not probed (probing loads the native layer; commands that need no ioctl skip it).
 */
public record HostInfo(String kernelRelease, int pageSize, int pagingLevels, long highestUserAddress,
                       int randomizeVaSpace, String thpMode, Features features) {

    /** Kernel features the inspector can use on this host, with the reason when one is missing. */
    public record Features(boolean pagemapScan, boolean procmapQuery, boolean softDirty, boolean kpageflagsReadable,
                           boolean pfnsVisible, boolean anonVmaName) {
    }
}
