package dev.inspector.core.model;

import java.util.List;

/**
 * The kernel half as documented for x86-64 with this host's paging depth, annotated with what the host shows:
 * KASLR in effect or not (from the kernel text address), vsyscall, and RAM ranges from /proc/iomem (root only).
 */
public record KernelLayout(int pagingLevels, List<KernelRegion> regions, Long kernelText, Boolean kaslr,
                           String kaslrEvidence, List<RamRange> ram) {

    /** A "System RAM" line of /proc/iomem; {@code end} is inclusive, as iomem prints it. */
    public record RamRange(long start, long end, String name) {
    }

    public KernelLayout {
        regions = List.copyOf(regions);
        ram = ram == null ? List.of() : List.copyOf(ram);
    }
}
