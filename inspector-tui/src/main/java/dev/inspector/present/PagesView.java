package dev.inspector.present;

import dev.inspector.core.json.HeatCells;
import dev.inspector.core.json.PagesJson;
import dev.inspector.core.json.PagesReport;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.Residency;
import dev.inspector.core.residency.HeatMap;
import dev.inspector.core.residency.KPageSummary;
import dev.inspector.core.residency.MappingResidency;
import dev.inspector.core.residency.PfnState;
import dev.inspector.core.residency.ScanPath;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The residency table of {@code inspector pages}: one row per mapping (or the part of it inside a requested range),
 * numbered N = the mapping's 1-based line in /proc/PID/maps (the order of {@code inspector maps}), a totals row, the
 * scan path and why, and a plain line for every figure the path could not observe ('?', never 0). Pure: a
 * {@link PagesReport} in, blocks out; its JSON is {@link dev.inspector.core.json.PagesJson}.
 */
public final class PagesView {

    /** The one line shown wherever frames are hidden from the reader. */
    public static final String PFNS_HIDDEN = PagesJson.PFNS_HIDDEN;

    private PagesView() {
    }

    // ---- text ---------------------------------------------------------------------------------------------------

    public static List<Block> present(PagesReport r, boolean ascii) {
        List<Block> out = new ArrayList<>();
        out.add(Line.of(String.format("pid %d (%s): %d of %d mappings%s, counted in %s pages", r.pid(),
                Escape.forTerminal(r.comm()), r.rows().size(), r.totalMappings(),
                r.range() == null ? "" : " overlapping " + r.range() + " (rows clipped to it)",
                Format.size(r.pageSize()))));
        out.add(Line.of("scan path: " + r.reason()).hanging(11));
        // On a narrow screen: UNTOUCHED (PAGES - PRESENT - SWAPPED), SIZE (PAGES x page size), EXCL and FILE are left
        // out first, then KIND and NAME are cut, then HUGE, ZERO and SWAPPED go. Asked-for columns always stay.
        List<Column> cols = new ArrayList<>(List.of(Column.right("N"), Column.left("START"),
                Column.right("SIZE").hides(9), Column.left("KIND").shrinks(6, 10), Column.right("PAGES"),
                Column.right("PRESENT"), Column.right("SWAPPED").hides(2), Column.right("UNTOUCHED").hides(10),
                Column.right("ZERO").hides(3), Column.right("HUGE").hides(4), Column.right("FILE").hides(7),
                Column.right("EXCL").hides(8)));
        if (r.written()) {
            cols.add(Column.right("WRITTEN"));
        }
        if (r.accessed()) {
            cols.add(Column.right("REFERENCED"));
        }
        cols.add(Column.left("NAME").shrinksFromStart(5, 12));
        List<Row> rows = new ArrayList<>(r.rows().size() + 1);
        PagesReport.Totals tot = r.totals();
        for (PagesReport.Row row : r.rows()) {
            Mapping m = row.shown();
            List<String> c = new ArrayList<>(cols.size());
            c.add(Integer.toString(row.index()));
            c.add(Format.addr(m.start()));
            c.add(Format.size(m.size()));
            c.add(Kinds.name(row.region().kind()));
            Residency res = row.residency() == null ? null : row.residency().residency();
            if (res == null) {
                c.add(Long.toString(m.size() / r.pageSize()));
                for (int i = 0; i < 7; i++) {
                    c.add("-");
                }
            } else {
                c.add(Long.toString(res.pages()));
                c.add(Long.toString(res.present()));
                c.add(Long.toString(res.swapped()));
                c.add(Long.toString(res.untouched()));
                c.add(count(res.zeroPage()));
                c.add(count(res.huge()));
                c.add(Long.toString(res.file()));
                c.add(count(res.exclusive()));
            }
            if (r.written()) {
                c.add(res == null ? "-" : count(res.softDirty()));
            }
            if (r.accessed()) {
                // smaps Referenced is bytes of the whole mapping: as pages, like every other count here
                c.add(row.referenced() == null ? "?" : Long.toString(row.referenced() / r.pageSize()));
            }
            c.add(Kinds.nameCell(m.path()));
            rows.add(new Row(Role.KIND, row.region().kind(), c));
        }
        List<String> c = new ArrayList<>(List.of("", "total", Format.size(tot.pages() * r.pageSize()), "",
                Long.toString(tot.pages()), Long.toString(tot.present()), Long.toString(tot.swapped()),
                Long.toString(tot.untouched()), count(tot.zeroPage()), count(tot.huge()), Long.toString(tot.file()),
                count(tot.exclusive())));
        if (r.written()) {
            c.add(count(tot.softDirty()));
        }
        if (r.accessed()) {
            c.add(Long.toString(tot.referenced() / r.pageSize()));
        }
        c.add("");
        rows.add(new Row(Role.TOTAL, null, c));
        out.add(new ListTable(cols, rows));

        for (String note : notes(r, tot, tot.skipped() > 0)) {
            out.add(Line.of(note));
        }
        if (r.pfnRequested() && r.pfns() == PfnState.KNOWN) {
            frames(r, out);
        }
        if (r.rangeHeat() != null) {
            out.add(Line.of(heatLegend(ascii, true)));
            out.add(Line.of("  " + r.range() + "  |" + heatLine(r.rangeHeat(), ascii) + "|"));
        } else if (!r.rows().isEmpty() && r.rows().get(0).heat() != null) {
            out.add(Line.of(heatLegend(ascii, false)));
            List<Row> heat = new ArrayList<>(r.rows().size());
            for (PagesReport.Row row : r.rows()) {
                heat.add(Row.of(Integer.toString(row.index()), Format.addr(row.shown().start()),
                        row.heat() == null ? "(no pagemap entries)" : "|" + heatLine(row.heat(), ascii) + "|"));
            }
            out.add(new ListTable(List.of(Column.right("N"), Column.left("START"), Column.left("CELLS").shrinks(1, 8)),
                    heat));
        }
        return out;
    }

    private static String count(long v) {
        return v < 0 ? "?" : Long.toString(v);
    }

    /** Plain sentences for each '?' in the table and for what the path could not see. */
    static List<String> notes(PagesReport r, PagesReport.Totals tot, boolean skippedAny) {
        List<String> out = new ArrayList<>();
        if (tot.exclusive() < 0) {
            out.add("EXCL is '?': PAGEMAP_SCAN has no category for pagemap bit 56 (page mapped exclusively); "
                    + "'--path pagemap' counts it from one pagemap entry per page.");
        }
        if (tot.zeroPage() < 0) {
            out.add("ZERO is '?': pagemap reads recognise the shared zero page only by its PFN, which is hidden "
                    + "without CAP_SYS_ADMIN" + (r.scanAvailable() ? "; the default path (PAGEMAP_SCAN, "
                    + "PAGE_IS_PFNZERO) counts it without root." : "; run as root."));
        }
        if (tot.huge() < 0) {
            out.add("HUGE is '?': pagemap entries have no huge-page bit" + (r.scanAvailable()
                    ? "; PAGEMAP_SCAN ('--path scan' or the default) reports PMD-mapped THP and hugetlb pages"
                    : "") + (r.pfnRequested() && r.pfns() == PfnState.KNOWN
                    ? "; kpageflags THP/HUGE counts are in the frames table below." : "."));
        }
        if (r.written() && tot.softDirty() < 0) {
            out.add("WRITTEN is '?': soft-dirty (pagemap bit 55) is not available on this kernel.");
        }
        if (r.written() && tot.softDirty() >= 0) {
            out.add("WRITTEN: pages with pagemap bit 55 (soft-dirty) set, i.e. written since the last "
                    + "'--mark-written' (clear_refs 4).");
        }
        if (r.accessed()) {
            out.add("REFERENCED: smaps Referenced of the whole mapping, in pages: memory accessed since the last "
                    + "'--mark-accessed' (clear_refs 1), or since it was mapped.");
        }
        if (skippedAny) {
            out.add("'-': pagemap has no entries for [vsyscall] (it lies in the kernel half; calls to it are "
                    + "emulated).");
        }
        if (r.pfnRequested()) {
            if (r.pfns() == PfnState.HIDDEN) {
                out.add(PFNS_HIDDEN + ".");
            } else if (r.pfns() == PfnState.NOT_COLLECTED) {
                out.add(r.pfns().reason() + ".");
            }
            if (r.kpageNote() != null) {
                out.add("kpageflags/kpagecount not read: " + r.kpageNote() + ".");
            }
        }
        return out;
    }

    private static void frames(PagesReport r, List<Block> out) {
        out.add(Line.of("frames (pagemap PFNs; flags from /proc/kpageflags, map counts from /proc/kpagecount):"));
        List<Column> cols = List.of(Column.right("N"), Column.left("START"), Column.right("PRESENT"),
                Column.right("PHYS-RUNS"), Column.right("PAGES/RUN").hides(3), Column.right("MAPPED-1"),
                Column.right("SHARED"), Column.right("UNMAPPED").hides(4), Column.right("MAX-MAPCOUNT").hides(5),
                Column.left("KPAGEFLAGS").shrinks(2, 10));
        List<Row> rows = new ArrayList<>();
        long[] all = new long[64];
        for (PagesReport.Row row : r.rows()) {
            MappingResidency mr = row.residency();
            if (mr == null || mr.residency().present() == 0) {
                continue;
            }
            KPageSummary k = mr.kpages();
            long nonZero = mr.residency().present() - Math.max(0, mr.residency().zeroPage());
            String perRun = mr.physicalRuns() > 0
                    ? String.format(java.util.Locale.ROOT, "%.1f", (double) nonZero / mr.physicalRuns()) : "-";
            if (k == null) {
                rows.add(Row.of(Integer.toString(row.index()), Format.addr(row.shown().start()),
                        Long.toString(mr.residency().present()), Long.toString(mr.physicalRuns()), perRun,
                        "?", "?", "?", "?", "(not read)"));
                continue;
            }
            long[] f = k.flagCounts();
            for (int b = 0; b < 64; b++) {
                all[b] += f[b];
            }
            rows.add(Row.of(Integer.toString(row.index()), Format.addr(row.shown().start()),
                    Long.toString(mr.residency().present()), Long.toString(mr.physicalRuns()), perRun,
                    Long.toString(k.mappedOnce()), Long.toString(k.shared()), Long.toString(k.unmappedCount()),
                    Long.toString(k.maxMapCount()), flagText(k.counts())));
        }
        out.add(new ListTable(cols, rows));
        StringBuilder b = new StringBuilder("kpageflags over all shown frames:");
        boolean any = false;
        for (int bit = 0; bit < 64; bit++) {
            if (all[bit] != 0) {
                b.append(' ').append(dev.inspector.core.procfs.parse.KPageFlags.nameOf(bit)).append('=')
                        .append(all[bit]);
                any = true;
            }
        }
        out.add(Line.of(any ? b.toString() : "kpageflags: no frames looked up"));
        out.add(Line.of("PHYS-RUNS: maximal runs of virtually consecutive pages on consecutive frames (zero page "
                + "excluded); 1 means physically contiguous. MAPPED-1/SHARED/UNMAPPED: frames with kpagecount 1, more "
                + "than 1 (other processes or addresses map them too), 0 (the shared zero page is never counted)."));
    }

    private static String flagText(Map<String, Long> counts) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            b.append(b.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(e.getValue());
        }
        return b.toString();
    }

    // ---- heat maps ----------------------------------------------------------------------------------------------

    /** A cell none of whose pages lies in a mapping (range heat maps only). */
    public static final char UNMAPPED = HeatCells.UNMAPPED;

    /** The cell character of a fraction of present pages: none, under 1/3, under 2/3, under all, all. */
    public static char cell(long present, long mapped, boolean ascii) {
        return HeatCells.cell(present, mapped, ascii);
    }

    public static String heatLine(HeatMap h, boolean ascii) {
        return HeatCells.line(h, ascii);
    }

    public static String heatLegend(boolean ascii, boolean range) {
        char[] s = HeatCells.glyphs(ascii);
        return "heat map of present pages: '" + s[0] + "' none, '" + s[1] + "' under 1/3, '" + s[2] + "' under 2/3, '"
                + s[3] + "' more, '" + s[4] + "' all" + (range ? ", '" + UNMAPPED + "' not mapped" : "")
                + " (each cell covers an equal share of the pages)";
    }
}
