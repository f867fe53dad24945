package dev.inspector.core.json;

import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.Region;
import dev.inspector.core.residency.HeatMap;
import dev.inspector.core.residency.MappingResidency;
import dev.inspector.core.residency.PfnState;
import dev.inspector.core.residency.ScanPath;

import java.util.List;

/**
 * What {@code inspector pages} found: the document {@link PagesJson} writes and the text view draws. {@code range} is
 * the requested range as text, or null; {@code pfnRequested} whether --pfn was given; {@code kpageNote} why kpageflags
 * were not read although asked, or null; {@code rangeHeat} the heat map of the whole range, or null.
 */
public record PagesReport(int pid, String comm, int totalMappings, int pageSize, String range, ScanPath path,
                          String reason, PfnState pfns, boolean pfnRequested, String kpageNote, boolean accessed,
                          boolean written, boolean scanAvailable, List<Row> rows, HeatMap rangeHeat) {

    public PagesReport {
        rows = List.copyOf(rows);
    }

    /**
     * One shown mapping. {@code index} is its 1-based line in /proc/PID/maps; {@code shown} the mapping clipped to
     * the requested range (the whole mapping otherwise); {@code residency} is null when pagemap has no entries for it
     * ([vsyscall]); {@code referenced} smaps Referenced in bytes (whole mapping) or null; {@code heat} this row's heat
     * map or null.
     */
    public record Row(int index, Region region, Mapping shown, MappingResidency residency, Long referenced,
                      HeatMap heat) {
    }
}
