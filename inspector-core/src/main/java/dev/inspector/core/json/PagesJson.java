package dev.inspector.core.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.Residency;
import dev.inspector.core.residency.KPageSummary;
import dev.inspector.core.residency.PfnState;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;

/**
 * {@code inspector pages --json}: a {@link PagesReport} as one indented JSON object. A figure the scan path could not
 * observe is null, never a 0 that looks like a fact.
 */
public final class PagesJson {

    /** The one sentence said wherever frames are hidden from the reader (here, in the text views, in translate). */
    public static final String PFNS_HIDDEN = "PFNs are hidden: pagemap shows frame 0 to readers without CAP_SYS_ADMIN"
            + " (since Linux 4.2, a Rowhammer mitigation), so no frame, physical address, kpageflags or kpagecount can"
            + " be shown; run as root to see them";

    private PagesJson() {
    }

    /** Writes the report to {@code out} (not closed), ending with a newline, and flushes it. */
    public static void write(PagesReport r, boolean ascii, PrintWriter out) throws IOException {
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
        for (PagesReport.Row row : r.rows()) {
            ObjectNode o = rows.addObject();
            Mapping m = row.shown();
            o.put("index", row.index());
            o.put("start", Hex.format(m.start()));
            o.put("end", Hex.format(m.end()));
            o.put("perms", m.perms().toString());
            o.put("kind", row.region().kind().label());
            o.put("name", m.path().kernelText());
            if (m.path().nameHex() != null) {
                o.put("nameHex", m.path().nameHex()); // the name's bytes, where they are not valid UTF-8
            }
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
                o.put("referencedPages", row.referenced() / r.pageSize());
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
                o.put("heat", HeatCells.line(row.heat(), ascii));
            }
        }
        if (r.rangeHeat() != null) {
            root.put("rangeHeat", HeatCells.line(r.rangeHeat(), ascii));
        }
        // The table's totals row: the same sums, unknown figures null.
        PagesReport.Totals t = r.totals();
        ObjectNode tn = root.putObject("totals");
        tn.put("mappings", r.rows().size());
        tn.put("withoutPagemap", t.skipped());
        tn.put("bytes", t.pages() * r.pageSize());
        tn.put("pages", t.pages());
        tn.put("present", t.present());
        tn.put("swapped", t.swapped());
        tn.put("untouched", t.untouched());
        known(tn, "zeroPage", t.zeroPage());
        known(tn, "huge", t.huge());
        tn.put("file", t.file());
        known(tn, "exclusive", t.exclusive());
        if (r.written()) {
            known(tn, "softDirty", t.softDirty());
        }
        if (r.accessed()) {
            tn.put("referencedBytes", t.referenced());
            tn.put("referencedPages", t.referenced() / r.pageSize());
        }
        if (r.pfnRequested()) {
            known(tn, "physicalRuns", t.physicalRuns());
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
