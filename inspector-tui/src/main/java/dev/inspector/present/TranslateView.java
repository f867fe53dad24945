package dev.inspector.present;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inspector.core.residency.AddressTranslation;
import dev.inspector.core.residency.AddressTranslation.Level;
import dev.inspector.core.residency.AddressTranslation.Outcome;
import dev.inspector.core.residency.AddressTranslation.Result;
import dev.inspector.core.residency.AddressTranslation.Split;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.procfs.parse.KPageFlags;
import dev.inspector.core.procfs.parse.PagemapEntry;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code inspector translate}: one labelled line per step of "virtual address → MMU → physical address". Pure. A
 * frame number or physical address is printed only when the kernel showed it; otherwise the line says why not.
 */
public final class TranslateView {

    private static final int LABEL = 12;

    private TranslateView() {
    }

    public static void print(Result r, HostInfo host, Style style, PrintWriter out) {
        Split s = r.split();
        line(out, style, "address", Format.hex(s.address()) + " in pid " + r.pid() + " (" + s.pagingLevels()
                + "-level paging, " + s.vaBits() + "-bit virtual addresses, " + Format.size(host.pageSize())
                + " pages)");
        line(out, style, "canonical", !s.canonical() ? "no: bits 63.." + (s.vaBits() - 1) + " differ"
                : s.kernelHalf() ? "yes, kernel half (bits 63.." + (s.vaBits() - 1) + " are 1)"
                : "yes, user half (bits 63.." + (s.vaBits() - 1) + " are 0)");
        for (String l : walkLines(s)) {
            line(out, style, l.startsWith("walk") ? "page walk" : "", l.startsWith("walk") ? l.substring(5) : l);
        }
        if (r.outcome() == Outcome.NON_CANONICAL || r.outcome() == Outcome.KERNEL_HALF
                || r.outcome() == Outcome.NOT_MAPPED) {
            line(out, style, "result", outcomeName(r.outcome()) + ": " + Escape.forTerminal(r.explanation()));
            return;
        }
        Mapping m = r.mapping();
        line(out, style, "mapping", "N=" + r.mappingIndex() + "  " + Escape.forTerminal(m.toMapsLine()));
        line(out, style, "", "found by " + r.lookup().description());
        long pages = m.size() / host.pageSize();
        String where = "page " + r.pageInMapping() + " (0x" + Long.toHexString(r.pageInMapping()) + ") of " + pages
                + ", offset " + Format.hex(s.pageOffset()) + " in the page";
        if (r.fileOffset() != null) {
            where += "; file offset " + Format.hex(r.fileOffset());
        }
        line(out, style, "in mapping", where);
        String smaps = "KernelPageSize " + Format.size(r.kernelPageSize());
        if (r.anonHugePages() != null) {
            smaps += ", AnonHugePages " + Format.size(r.anonHugePages()) + " in the mapping";
        }
        line(out, style, "smaps", smaps);
        if (r.huge() != null) {
            AddressTranslation.HugeView h = r.huge();
            StringBuilder b = new StringBuilder(Format.size(1L << h.shift()) + " page: ");
            for (Level l : s.walkFor(h.shift())) {
                b.append(l.name()).append('[').append(l.index()).append("] -> ");
            }
            b.append("offset ").append(Format.hex(h.offset())).append(" (").append(h.shift()).append(" bits)");
            line(out, style, "huge page", b.toString());
            line(out, style, "", h.evidence());
        }
        PagemapEntry e = r.entry();
        line(out, style, "pagemap", String.format("0x%016x", e.raw()) + "  " + entryText(e));
        if (r.scanHuge() != null) {
            line(out, style, "", "PAGEMAP_SCAN categories: " + (r.scanZero() ? "PFNZERO " : "")
                    + (r.scanHuge() ? "HUGE" : "not huge"));
        }
        if (e.present()) {
            if (r.pfn() >= 0) {
                line(out, style, "frame", "PFN " + Format.hex(r.pfn()) + " -> physical address "
                        + Format.hex(r.physicalAddress()) + " (PFN * " + host.pageSize() + " + "
                        + Format.hex(s.pageOffset()) + ")");
            } else {
                line(out, style, "frame", PagesView.PFNS_HIDDEN);
            }
            if (r.kpageflags() != null) {
                KPageFlags k = r.kpageflags();
                line(out, style, "kpageflags", Format.hex(k.raw()) + "  " + String.join(" ", k.names()));
                line(out, style, "kpagecount", r.mapCount() + (r.mapCount() == 1 ? " (mapped once)"
                        : r.mapCount() > 1 ? " (shared: mapped " + r.mapCount() + " times)" : " (not mapped)"));
            } else if (r.kpageNote() != null && r.pfn() >= 0) {
                line(out, style, "kpageflags", "not read: " + r.kpageNote());
            }
            if (r.pfn() >= 0) {
                line(out, style, "RAM", r.ram() != null ? r.ram().name() + " " + Format.hex(r.ram().start()) + "-"
                        + Format.hex(r.ram().end()) + " (/proc/iomem, end inclusive)" : r.ramNote());
            }
        }
        line(out, style, "result", outcomeName(r.outcome()) + ": " + Escape.forTerminal(r.explanation()));
    }

    private static void line(PrintWriter out, Style style, String label, String text) {
        StringBuilder b = new StringBuilder(LABEL + text.length());
        b.append(label);
        while (b.length() < LABEL) {
            b.append(' ');
        }
        out.println((label.isEmpty() ? b.toString() : style.bold(b.toString())) + " " + text);
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

    // ---- JSON ---------------------------------------------------------------------------------------------------

    public static void json(Result r, HostInfo host, PrintWriter out) throws IOException {
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode o = om.createObjectNode();
        Split s = r.split();
        o.put("pid", r.pid());
        o.put("address", Format.hex(s.address()));
        o.put("pagingLevels", s.pagingLevels());
        o.put("pageSize", host.pageSize());
        o.put("canonical", s.canonical());
        o.put("kernelHalf", s.kernelHalf());
        ArrayNode lv = o.putArray("levels");
        for (Level l : s.levels()) {
            ObjectNode n = lv.addObject();
            n.put("name", l.name());
            n.put("index", l.index());
            n.put("highBit", l.highBit());
            n.put("lowBit", l.lowBit());
        }
        o.put("pageOffset", s.pageOffset());
        o.put("outcome", r.outcome().name());
        o.put("explanation", r.explanation());
        if (r.gapBelow() != null) {
            o.put("gapBelow", r.gapBelow().toMapsLine());
        }
        if (r.gapAbove() != null) {
            o.put("gapAbove", r.gapAbove().toMapsLine());
        }
        Mapping m = r.mapping();
        if (m != null) {
            ObjectNode mn = o.putObject("mapping");
            mn.put("index", r.mappingIndex());
            mn.put("start", Format.hex(m.start()));
            mn.put("end", Format.hex(m.end()));
            mn.put("perms", m.perms().toString());
            mn.put("name", m.path().kernelText());
            mn.put("lookup", r.lookup().name());
            o.put("pageInMapping", r.pageInMapping());
            if (r.fileOffset() != null) {
                o.put("fileOffset", Format.hex(r.fileOffset()));
            }
            o.put("kernelPageSize", r.kernelPageSize());
            if (r.huge() != null) {
                ObjectNode h = o.putObject("huge");
                h.put("shift", r.huge().shift());
                h.put("offset", Format.hex(r.huge().offset()));
                h.put("evidence", r.huge().evidence());
            }
            PagemapEntry e = r.entry();
            ObjectNode pe = o.putObject("pagemap");
            pe.put("raw", String.format("0x%016x", e.raw()));
            ArrayNode fl = pe.putArray("flags");
            e.flagNames().forEach(fl::add);
            pe.put("frame", e.frame().name());
            if (r.pfn() >= 0) {
                o.put("pfn", Format.hex(r.pfn()));
                o.put("physicalAddress", Format.hex(r.physicalAddress()));
            } else {
                o.putNull("pfn");
                o.putNull("physicalAddress");
                if (e.frame() == PagemapEntry.Frame.HIDDEN) {
                    o.put("pfnNote", PagesView.PFNS_HIDDEN);
                }
            }
            if (r.kpageflags() != null) {
                ObjectNode k = o.putObject("kpageflags");
                k.put("raw", Format.hex(r.kpageflags().raw()));
                ArrayNode names = k.putArray("names");
                r.kpageflags().names().forEach(names::add);
                o.put("kpagecount", r.mapCount());
            }
            if (r.ram() != null) {
                ObjectNode ram = o.putObject("ram");
                ram.put("name", r.ram().name());
                ram.put("start", Format.hex(r.ram().start()));
                ram.put("end", Format.hex(r.ram().end()));
            }
        }
        out.println(om.writeValueAsString(o));
        out.flush();
    }
}
