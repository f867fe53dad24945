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
     * The sums under the table, over the rows that have a residency: pages and each count, -1 where a row could not
     * observe the figure (unknown is contagious: a sum with an unknown part is unknown); {@code referenced} sums the
     * rows' smaps Referenced in bytes; {@code skipped} counts the rows without pagemap entries.
     */
    public record Totals(long pages, long present, long swapped, long untouched, long zeroPage, long huge, long file,
                         long exclusive, long softDirty, long physicalRuns, long referenced, int skipped) {
    }

    /** The totals of the table (and of the JSON document's {@code totals}). */
    public Totals totals() {
        long pages = 0;
        long present = 0;
        long swapped = 0;
        long untouched = 0;
        long zero = 0;
        long huge = 0;
        long file = 0;
        long exclusive = 0;
        long softDirty = 0;
        long runs = 0;
        long referenced = 0;
        int skipped = 0;
        for (Row row : rows) {
            if (row.referenced() != null) {
                referenced += row.referenced();
            }
            if (row.residency() == null) {
                skipped++;
                continue;
            }
            dev.inspector.core.model.Residency r = row.residency().residency();
            pages += r.pages();
            present += r.present();
            swapped += r.swapped();
            untouched += r.untouched();
            zero = sum(zero, r.zeroPage());
            huge = sum(huge, r.huge());
            file += r.file();
            exclusive = sum(exclusive, r.exclusive());
            softDirty = sum(softDirty, r.softDirty());
            runs = sum(runs, row.residency().physicalRuns());
        }
        return new Totals(pages, present, swapped, untouched, zero, huge, file, exclusive, softDirty, runs,
                referenced, skipped);
    }

    private static long sum(long a, long b) {
        return a < 0 || b < 0 ? -1 : a + b;
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
