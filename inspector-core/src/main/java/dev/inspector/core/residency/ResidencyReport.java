package dev.inspector.core.residency;

import dev.inspector.core.model.Mapping;

import java.util.List;

/**
 * Residency of a set of mappings of one process. {@code path} and {@code reason} say which interface was used and why;
 * {@code pfns} whether frames are in the runs; {@code skipped} the mappings pagemap has no entries for (the
 * {@code [vsyscall]} page lies in the kernel half, above the task's address space); {@code heatMap} is null unless
 * one was requested.
 */
public record ResidencyReport(int pid, ScanPath path, String reason, PfnState pfns, List<MappingResidency> mappings,
                              List<Mapping> skipped, HeatMap heatMap) {

    public ResidencyReport {
        mappings = List.copyOf(mappings);
        skipped = List.copyOf(skipped);
    }
}
