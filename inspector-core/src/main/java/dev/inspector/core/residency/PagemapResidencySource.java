package dev.inspector.core.residency;

import dev.inspector.core.residency.ResidencySource;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.Region;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Residency for the snapshot builder, through {@link ResidencyService} (PAGEMAP_SCAN when the kernel has it, pagemap
 * reads when frames are wanted or the ioctl is missing). Mappings pagemap has no entries for ([vsyscall]) keep a null
 * residency. The last report is kept so a caller can say which path was used and why.
 */
public final class PagemapResidencySource implements ResidencySource {
    private final ResidencyService service;
    private ResidencyReport last;

    public PagemapResidencySource(ResidencyService service) {
        this.service = service;
    }

    public ResidencyReport lastReport() {
        return last;
    }

    @Override
    public List<Region> apply(int pid, List<Region> regions, boolean perPage, boolean pfn) {
        List<Mapping> mappings = new ArrayList<>(regions.size());
        for (Region r : regions) {
            mappings.add(r.mapping());
        }
        ResidencyOptions o = ResidencyOptions.summary().withRuns(perPage).withPfns(pfn);
        ResidencyReport report = service.scan(pid, mappings, o);
        last = report;
        Map<Long, MappingResidency> byStart = new HashMap<>(report.mappings().size() * 2);
        for (MappingResidency m : report.mappings()) {
            byStart.put(m.mapping().start(), m);
        }
        List<Region> out = new ArrayList<>(regions.size());
        for (Region r : regions) {
            MappingResidency m = byStart.get(r.mapping().start());
            out.add(m == null ? r : m.applyTo(r));
        }
        return out;
    }
}
