package dev.inspector.present;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Residency;
import dev.inspector.core.residency.HeatMap;
import dev.inspector.core.residency.KPageSummary;
import dev.inspector.core.residency.MappingResidency;
import dev.inspector.core.residency.PfnState;
import dev.inspector.core.residency.ScanPath;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The residency table of {@code inspector pages}: one row per mapping (or the part of it inside a requested range),
 * numbered N = the mapping's 1-based line in /proc/PID/maps (the order of {@code inspector maps}), a totals row, the
 * scan path and why, and a plain line for every figure the path could not observe ('?', never 0). Pure: rows in,
 * text or JSON out.
 */
public final class PagesView {

    /** The one line shown wherever frames are hidden from the reader. */
    public static final String PFNS_HIDDEN = "PFNs are hidden: pagemap shows frame 0 to readers without CAP_SYS_ADMIN"
            + " (since Linux 4.2, a Rowhammer mitigation), so no frame, physical address, kpageflags or kpagecount can"
            + " be shown; run as root to see them";

    /**
     * One shown mapping. {@code shown} is the mapping clipped to the requested range (the whole mapping otherwise);
     * {@code residency} is null when pagemap has no entries for it ([vsyscall]); {@code referenced} smaps Referenced
     * in bytes (whole mapping) or null; {@code heat} this row's heat map or null.
     */
    public record Row(int index, Region region, Mapping shown, MappingResidency residency, Long referenced,
                      HeatMap heat) {
    }

    /**
     * Everything shown. {@code range} the requested range as text, or null; {@code pfnRequested} whether --pfn was
     * given; {@code kpageNote} why kpageflags were not read although asked, or null; {@code rangeHeat} the heat map of
     * the whole range, or null.
     */
    public record Report(int pid, String comm, int totalMappings, int pageSize, String range, ScanPath path,
                         String reason, PfnState pfns, boolean pfnRequested, String kpageNote, boolean accessed,
                         boolean written, boolean scanAvailable, List<Row> rows, HeatMap rangeHeat) {
        public Report {
            rows = List.copyOf(rows);
        }
    }

    private PagesView() {
    }

    // ---- text ---------------------------------------------------------------------------------------------------

    public static void print(Report r, boolean ascii, Style style, PrintWriter out) {
        out.println(String.format("pid %d (%s): %d of %d mappings%s, counted in %s pages", r.pid(),
                Escape.forTerminal(r.comm()), r.rows().size(), r.totalMappings(),
                r.range() == null ? "" : " overlapping " + r.range() + " (rows clipped to it)",
                Format.size(r.pageSize())));
        out.println("scan path: " + r.reason());
        List<String> headers = new ArrayList<>(List.of("N", "START", "SIZE", "KIND", "PAGES", "PRESENT", "SWAPPED",
                "UNTOUCHED", "ZERO", "HUGE", "FILE", "EXCL"));
        if (r.written()) {
            headers.add("WRITTEN");
        }
        if (r.accessed()) {
            headers.add("REFERENCED");
        }
        headers.add("NAME");
        TextTable.Align[] al = new TextTable.Align[headers.size()];
        for (int i = 0; i < al.length; i++) {
            al[i] = i == 1 || i == 3 || i == al.length - 1 ? TextTable.Align.LEFT : TextTable.Align.RIGHT;
        }
        TextTable t = new TextTable(headers.toArray(new String[0]), al);
        Totals tot = new Totals();
        boolean skippedAny = false;
        for (Row row : r.rows()) {
            Mapping m = row.shown();
            List<String> c = new ArrayList<>(headers.size());
            c.add(Integer.toString(row.index()));
            c.add(Format.addr(m.start()));
            c.add(Format.size(m.size()));
            c.add(Kinds.name(row.region().kind()));
            Residency res = row.residency() == null ? null : row.residency().residency();
            if (res == null) {
                skippedAny = true;
                c.add(Long.toString(m.size() / r.pageSize()));
                for (int i = 0; i < 7; i++) {
                    c.add("-");
                }
            } else {
                tot.add(res, row.residency().physicalRuns());
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
                c.add(row.referenced() == null ? "?" : Format.size(row.referenced()));
                if (row.referenced() != null) {
                    tot.referenced += row.referenced();
                }
            }
            c.add(Escape.forTerminal(m.path().kernelText()));
            t.styledRow(Kinds.colour(row.region().kind()), c.toArray(new String[0]));
        }
        List<String> c = new ArrayList<>(List.of("", "total", Format.size(tot.pages * r.pageSize()), "",
                Long.toString(tot.pages), Long.toString(tot.present), Long.toString(tot.swapped),
                Long.toString(tot.untouched), count(tot.zero), count(tot.huge), Long.toString(tot.file),
                count(tot.exclusive)));
        if (r.written()) {
            c.add(count(tot.softDirty));
        }
        if (r.accessed()) {
            c.add(Format.size(tot.referenced));
        }
        c.add("");
        t.row(c.toArray(new String[0]));
        t.print(out, style);

        for (String note : notes(r, tot, skippedAny)) {
            out.println(note);
        }
        if (r.pfnRequested() && r.pfns() == PfnState.KNOWN) {
            printFrames(r, style, out);
        }
        if (r.rangeHeat() != null) {
            out.println(heatLegend(ascii, true));
            out.println("  " + r.range() + "  |" + heatLine(r.rangeHeat(), ascii) + "|");
        } else if (!r.rows().isEmpty() && r.rows().get(0).heat() != null) {
            out.println(heatLegend(ascii, false));
            TextTable h = new TextTable(new String[] {"N", "START", "CELLS"},
                    new TextTable.Align[] {TextTable.Align.RIGHT, TextTable.Align.LEFT, TextTable.Align.LEFT});
            for (Row row : r.rows()) {
                h.row(Integer.toString(row.index()), Format.addr(row.shown().start()),
                        row.heat() == null ? "(no pagemap entries)" : "|" + heatLine(row.heat(), ascii) + "|");
            }
            h.print(out, style);
        }
    }

    private static final class Totals {
        long pages;
        long present;
        long swapped;
        long untouched;
        long zero;
        long huge;
        long file;
        long exclusive;
        long softDirty;
        long physicalRuns;
        long referenced;

        void add(Residency r, long runs) {
            pages += r.pages();
            present += r.present();
            swapped += r.swapped();
            untouched += r.untouched();
            zero = sum(zero, r.zeroPage());
            huge = sum(huge, r.huge());
            file += r.file();
            exclusive = sum(exclusive, r.exclusive());
            softDirty = sum(softDirty, r.softDirty());
            physicalRuns = sum(physicalRuns, runs);
        }

        /** Unknown (-1) is contagious: a total with an unknown part is unknown. */
        private static long sum(long a, long b) {
            return a < 0 || b < 0 ? -1 : a + b;
        }
    }

    private static String count(long v) {
        return v < 0 ? "?" : Long.toString(v);
    }

    /** Plain sentences for each '?' in the table and for what the path could not see. */
    static List<String> notes(Report r, Totals tot, boolean skippedAny) {
        List<String> out = new ArrayList<>();
        if (tot.exclusive < 0) {
            out.add("EXCL is '?': PAGEMAP_SCAN has no category for pagemap bit 56 (page mapped exclusively); "
                    + "'--path pagemap' counts it from one pagemap entry per page.");
        }
        if (tot.zero < 0) {
            out.add("ZERO is '?': pagemap reads recognise the shared zero page only by its PFN, which is hidden "
                    + "without CAP_SYS_ADMIN" + (r.scanAvailable() ? "; the default path (PAGEMAP_SCAN, "
                    + "PAGE_IS_PFNZERO) counts it without root." : "; run as root."));
        }
        if (tot.huge < 0) {
            out.add("HUGE is '?': pagemap entries have no huge-page bit" + (r.scanAvailable()
                    ? "; PAGEMAP_SCAN ('--path scan' or the default) reports PMD-mapped THP and hugetlb pages"
                    : "") + (r.pfnRequested() && r.pfns() == PfnState.KNOWN
                    ? "; kpageflags THP/HUGE counts are in the frames table below." : "."));
        }
        if (r.written() && tot.softDirty < 0) {
            out.add("WRITTEN is '?': soft-dirty (pagemap bit 55) is not available on this kernel.");
        }
        if (r.written() && tot.softDirty >= 0) {
            out.add("WRITTEN: pages with pagemap bit 55 (soft-dirty) set, i.e. written since the last "
                    + "'--mark-written' (clear_refs 4).");
        }
        if (r.accessed()) {
            out.add("REFERENCED: smaps Referenced of the whole mapping: memory accessed since the last "
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

    private static void printFrames(Report r, Style style, PrintWriter out) {
        out.println("frames (pagemap PFNs; flags from /proc/kpageflags, map counts from /proc/kpagecount):");
        TextTable t = new TextTable(new String[] {"N", "START", "PRESENT", "PHYS-RUNS", "PAGES/RUN", "MAPPED-1",
            "SHARED", "UNMAPPED", "MAX-MAPCOUNT", "KPAGEFLAGS"},
                new TextTable.Align[] {TextTable.Align.RIGHT, TextTable.Align.LEFT, TextTable.Align.RIGHT,
                    TextTable.Align.RIGHT, TextTable.Align.RIGHT, TextTable.Align.RIGHT, TextTable.Align.RIGHT,
                    TextTable.Align.RIGHT, TextTable.Align.RIGHT, TextTable.Align.LEFT});
        long[] all = new long[64];
        for (Row row : r.rows()) {
            MappingResidency mr = row.residency();
            if (mr == null || mr.residency().present() == 0) {
                continue;
            }
            KPageSummary k = mr.kpages();
            long nonZero = mr.residency().present() - Math.max(0, mr.residency().zeroPage());
            String perRun = mr.physicalRuns() > 0
                    ? String.format(java.util.Locale.ROOT, "%.1f", (double) nonZero / mr.physicalRuns()) : "-";
            if (k == null) {
                t.row(Integer.toString(row.index()), Format.addr(row.shown().start()),
                        Long.toString(mr.residency().present()), Long.toString(mr.physicalRuns()), perRun,
                        "?", "?", "?", "?", "(not read)");
                continue;
            }
            long[] f = k.flagCounts();
            for (int b = 0; b < 64; b++) {
                all[b] += f[b];
            }
            t.row(Integer.toString(row.index()), Format.addr(row.shown().start()),
                    Long.toString(mr.residency().present()), Long.toString(mr.physicalRuns()), perRun,
                    Long.toString(k.mappedOnce()), Long.toString(k.shared()), Long.toString(k.unmappedCount()),
                    Long.toString(k.maxMapCount()), flagText(k.counts()));
        }
        t.print(out, style);
        StringBuilder b = new StringBuilder("kpageflags over all shown frames:");
        boolean any = false;
        for (int bit = 0; bit < 64; bit++) {
            if (all[bit] != 0) {
                b.append(' ').append(dev.inspector.core.procfs.parse.KPageFlags.nameOf(bit)).append('=')
                        .append(all[bit]);
                any = true;
            }
        }
        out.println(any ? b.toString() : "kpageflags: no frames looked up");
        out.println("PHYS-RUNS: maximal runs of virtually consecutive pages on consecutive frames (zero page "
                + "excluded); 1 means physically contiguous. MAPPED-1/SHARED/UNMAPPED: frames with kpagecount 1, more "
                + "than 1 (other processes or addresses map them too), 0 (the shared zero page is never counted).");
    }

    private static String flagText(Map<String, Long> counts) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            b.append(b.length() == 0 ? "" : " ").append(e.getKey()).append('=').append(e.getValue());
        }
        return b.toString();
    }

    // ---- heat maps ----------------------------------------------------------------------------------------------

    private static final char[] UNICODE = {' ', '.', ':', '\u2592', '\u2588'};
    private static final char[] ASCII = {' ', '.', ':', '+', '#'};
    /** A cell none of whose pages lies in a mapping (range heat maps only). */
    public static final char UNMAPPED = '_';

    /** The cell character of a fraction of present pages: none, under 1/3, under 2/3, under all, all. */
    public static char cell(long present, long mapped, boolean ascii) {
        char[] set = ascii ? ASCII : UNICODE;
        if (mapped == 0) {
            return UNMAPPED;
        }
        if (present == 0) {
            return set[0];
        }
        if (present == mapped) {
            return set[4];
        }
        if (present * 3 < mapped) {
            return set[1];
        }
        if (present * 3 < 2 * mapped) {
            return set[2];
        }
        return set[3];
    }

    public static String heatLine(HeatMap h, boolean ascii) {
        StringBuilder b = new StringBuilder(h.buckets());
        for (int i = 0; i < h.buckets(); i++) {
            b.append(cell(h.present(i), h.mapped(i), ascii));
        }
        return b.toString();
    }

    public static String heatLegend(boolean ascii, boolean range) {
        char[] s = ascii ? ASCII : UNICODE;
        return "heat map of present pages: '" + s[0] + "' none, '" + s[1] + "' under 1/3, '" + s[2] + "' under 2/3, '"
                + s[3] + "' more, '" + s[4] + "' all" + (range ? ", '" + UNMAPPED + "' not mapped" : "")
                + " (each cell covers an equal share of the pages)";
    }

    // ---- JSON ---------------------------------------------------------------------------------------------------

    public static void json(Report r, boolean ascii, PrintWriter out) throws IOException {
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = om.createObjectNode();
        root.put("pid", r.pid());
        root.put("comm", r.comm());
        root.put("pageSize", r.pageSize());
        root.put("mappingsTotal", r.totalMappings());
        if (r.range() != null) {
            root.put("range", r.range());
        }
        root.put("path", r.path().source());
        root.put("reason", r.reason());
        ObjectNode pf = root.putObject("pfns");
        pf.put("state", r.pfns().name());
        pf.put("reason", r.pfns() == PfnState.HIDDEN ? PFNS_HIDDEN : r.pfns().reason());
        if (r.kpageNote() != null) {
            pf.put("kpageflagsNote", r.kpageNote());
        }
        ArrayNode rows = root.putArray("mappings");
        for (Row row : r.rows()) {
            ObjectNode o = rows.addObject();
            Mapping m = row.shown();
            o.put("index", row.index());
            o.put("start", Format.hex(m.start()));
            o.put("end", Format.hex(m.end()));
            o.put("perms", m.perms().toString());
            o.put("kind", Kinds.name(row.region().kind()));
            o.put("name", m.path().kernelText());
            if (row.residency() == null) {
                o.putNull("residency");
                o.put("note", "pagemap has no entries for this mapping (kernel half)");
                continue;
            }
            Residency res = row.residency().residency();
            ObjectNode rs = o.putObject("residency");
            rs.put("pages", res.pages());
            rs.put("present", res.present());
            rs.put("swapped", res.swapped());
            rs.put("untouched", res.untouched());
            known(rs, "zeroPage", res.zeroPage());
            known(rs, "huge", res.huge());
            rs.put("file", res.file());
            known(rs, "exclusive", res.exclusive());
            known(rs, "softDirty", res.softDirty());
            rs.put("source", res.source());
            known(o, "physicalRuns", row.residency().physicalRuns());
            if (row.referenced() != null) {
                o.put("referencedBytes", row.referenced());
            }
            KPageSummary k = row.residency().kpages();
            if (k != null) {
                ObjectNode kn = o.putObject("kpages");
                kn.put("frames", k.frames());
                ObjectNode fl = kn.putObject("flags");
                for (Map.Entry<String, Long> e : k.counts().entrySet()) {
                    fl.put(e.getKey(), e.getValue());
                }
                kn.put("mappedOnce", k.mappedOnce());
                kn.put("shared", k.shared());
                kn.put("unmapped", k.unmappedCount());
                kn.put("maxMapCount", k.maxMapCount());
            }
            if (row.heat() != null) {
                o.put("heat", heatLine(row.heat(), ascii));
            }
        }
        if (r.rangeHeat() != null) {
            root.put("rangeHeat", heatLine(r.rangeHeat(), ascii));
        }
        out.println(om.writeValueAsString(root)); // not writeValue(out): that would close the caller's writer
        out.flush();
    }

    /** null in JSON for a figure the path could not observe (never a 0 that looks like a fact). */
    private static void known(ObjectNode o, String key, long v) {
        if (v < 0) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }
}
