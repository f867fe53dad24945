package dev.inspector.present;

import dev.inspector.core.residency.AddressTranslation;
import dev.inspector.core.residency.AddressTranslation.Level;
import dev.inspector.core.residency.AddressTranslation.Outcome;
import dev.inspector.core.residency.AddressTranslation.Result;
import dev.inspector.core.residency.AddressTranslation.Split;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.procfs.parse.KPageFlags;
import dev.inspector.core.procfs.parse.PagemapEntry;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code inspector translate}: one labelled line per step of "virtual address → MMU → physical address". Pure: a
 * translation in, lines out; its JSON is {@link dev.inspector.core.json.TranslateJson}. A frame number or physical
 * address is shown only when the kernel showed it; otherwise the line says why not.
 */
public final class TranslateView {

    private static final int LABEL = 12;

    private TranslateView() {
    }

    /** One labelled line per step, in order; the label is a {@link Role#LABEL} span. */
    public static List<Block> present(Result r, HostInfo host) {
        List<Block> out = new ArrayList<>();
        walk(r, host, out);
        return out;
    }

    private static void walk(Result r, HostInfo host, List<Block> out) {
        Split s = r.split();
        line(out, "address", Format.hex(s.address()) + " in pid " + r.pid() + " (" + s.pagingLevels()
                + "-level paging, " + s.vaBits() + "-bit virtual addresses, " + Format.size(host.pageSize())
                + " pages)");
        line(out, "canonical", !s.canonical() ? "no: bits 63.." + (s.vaBits() - 1) + " differ"
                : s.kernelHalf() ? "yes, kernel half (bits 63.." + (s.vaBits() - 1) + " are 1)"
                : "yes, user half (bits 63.." + (s.vaBits() - 1) + " are 0)");
        for (String l : walkLines(s)) {
            line(out, l.startsWith("walk") ? "page walk" : "", l.startsWith("walk") ? l.substring(5) : l);
        }
        if (r.outcome() == Outcome.NON_CANONICAL || r.outcome() == Outcome.KERNEL_HALF
                || r.outcome() == Outcome.NOT_MAPPED) {
            line(out, "result", outcomeName(r.outcome()) + ": " + Escape.forTerminal(r.explanation()));
            return;
        }
        Mapping m = r.mapping();
        line(out, "mapping", "N=" + r.mappingIndex() + "  " + Kinds.mapsLine(m));
        line(out, "", "found by " + r.lookup().description());
        long pages = m.size() / host.pageSize();
        String where = "page " + r.pageInMapping() + " (0x" + Long.toHexString(r.pageInMapping()) + ") of " + pages
                + ", offset " + Format.hex(s.pageOffset()) + " in the page";
        if (r.fileOffset() != null) {
            where += "; file offset " + Format.hex(r.fileOffset());
        }
        line(out, "in mapping", where);
        String smaps = "KernelPageSize " + Format.size(r.kernelPageSize());
        if (r.anonHugePages() != null) {
            smaps += ", AnonHugePages " + Format.size(r.anonHugePages()) + " in the mapping";
        }
        line(out, "smaps", smaps);
        if (r.huge() != null) {
            AddressTranslation.HugeView h = r.huge();
            StringBuilder b = new StringBuilder(Format.size(1L << h.shift()) + " page: ");
            for (Level l : s.walkFor(h.shift())) {
                b.append(l.name()).append('[').append(l.index()).append("] -> ");
            }
            b.append("offset ").append(Format.hex(h.offset())).append(" (").append(h.shift()).append(" bits)");
            line(out, "huge page", b.toString());
            line(out, "", h.evidence());
        }
        PagemapEntry e = r.entry();
        line(out, "pagemap", String.format("0x%016x", e.raw()) + "  " + entryText(e));
        if (r.scanHuge() != null) {
            line(out, "", "PAGEMAP_SCAN categories: " + (r.scanZero() ? "PFNZERO " : "")
                    + (r.scanHuge() ? "HUGE" : "not huge"));
        }
        if (e.present()) {
            if (r.pfn() >= 0) {
                line(out, "frame", "PFN " + Format.hex(r.pfn()) + " -> physical address "
                        + Format.hex(r.physicalAddress()) + " (PFN * " + host.pageSize() + " + "
                        + Format.hex(s.pageOffset()) + ")");
            } else {
                line(out, "frame", PagesView.PFNS_HIDDEN);
            }
            if (r.kpageflags() != null) {
                KPageFlags k = r.kpageflags();
                line(out, "kpageflags", Format.hex(k.raw()) + "  " + String.join(" ", k.names()));
                line(out, "kpagecount", r.mapCount() + (r.mapCount() == 1 ? " (mapped once)"
                        : r.mapCount() > 1 ? " (shared: mapped " + r.mapCount() + " times)" : " (not mapped)"));
            } else if (r.kpageNote() != null && r.pfn() >= 0) {
                line(out, "kpageflags", "not read: " + r.kpageNote());
            }
            if (r.pfn() >= 0) {
                line(out, "RAM", r.ram() != null ? r.ram().name() + " " + Format.hex(r.ram().start()) + "-"
                        + Format.hex(r.ram().end()) + " (/proc/iomem, end inclusive)" : r.ramNote());
            }
        }
        line(out, "result", outcomeName(r.outcome()) + ": " + Escape.forTerminal(r.explanation()));
    }

    private static void line(List<Block> out, String label, String text) {
        StringBuilder b = new StringBuilder(LABEL);
        b.append(label);
        while (b.length() < LABEL) {
            b.append(' ');
        }
        out.add(Line.of(Span.of(label.isEmpty() ? Role.PLAIN : Role.LABEL, b.toString()), Span.plain(" " + text))
                .hanging(LABEL + 1));
    }

    /** "walk PGD[..] -> ..." then the bit-field line. */
    static List<String> walkLines(Split s) {
        List<String> out = new ArrayList<>();
        StringBuilder walk = new StringBuilder("walk ");
        StringBuilder bits = new StringBuilder("bits 63-" + s.vaBits() + " sign extension");
        for (Level l : s.levels()) {
            walk.append(l.name()).append('[').append(l.index()).append("] -> ");
            bits.append(" | ").append(l.highBit()).append('-').append(l.lowBit()).append(' ').append(l.name())
                    .append(' ').append(l.index()).append(String.format(" (0x%03x)", l.index()));
        }
        walk.append("offset ").append(Format.hex(s.pageOffset()));
        bits.append(" | 11-0 offset ").append(Format.hex(s.pageOffset()));
        out.add(walk.toString());
        out.add(bits.toString());
        if (s.pagingLevels() == 4) {
            out.add("P4D is folded into the PGD with 4-level paging (no la57 in /proc/cpuinfo)");
        }
        return out;
    }

    static String entryText(PagemapEntry e) {
        List<String> f = e.flagNames();
        return (f.isEmpty() ? "no flags: no page-table entry" : String.join(" ", f))
                + (e.reservedBitsSet() ? " (bits 59-60 set: defined by a newer kernel)" : "");
    }

    static String outcomeName(Outcome o) {
        return o.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
