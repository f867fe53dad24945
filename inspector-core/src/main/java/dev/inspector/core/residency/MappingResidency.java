package dev.inspector.core.residency;

import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.PageRun;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Residency;

import java.util.List;

/**
 * The residency of one mapping. {@code residency} holds the counts (a field is -1 when the scan path cannot observe
 * it: exclusive from PAGEMAP_SCAN, huge from pagemap reads, zero page from pagemap reads without PFNs, soft-dirty when
 * the kernel lacks it). {@code runs} are the per-page runs covering the whole mapping (null when not requested);
 * {@code knownFlags} the PageRun flags that are meaningful in them. {@code physicalRuns} counts maximal runs of
 * virtually consecutive present pages backed by consecutive frames (zero-page mappings excluded), -1 without PFNs.
 * {@code kpages} is the kpageflags/kpagecount summary, or null when not requested.
 */
public record MappingResidency(Mapping mapping, Residency residency, List<PageRun> runs, int knownFlags,
                               PfnState pfns, long physicalRuns, KPageSummary kpages) {

    public MappingResidency {
        runs = runs == null ? null : List.copyOf(runs);
    }

    public ScanPath path() {
        return ScanPath.PAGEMAP_SCAN.source().equals(residency.source()) ? ScanPath.PAGEMAP_SCAN : ScanPath.PAGEMAP;
    }

    /** The region with this residency and these runs attached. */
    public Region applyTo(Region r) {
        return r.withResidency(residency, runs);
    }
}
