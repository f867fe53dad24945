package dev.inspector.core.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inspector.core.residency.AddressTranslation.Level;
import dev.inspector.core.residency.AddressTranslation.Result;
import dev.inspector.core.residency.AddressTranslation.Split;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.procfs.parse.PagemapEntry;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * {@code inspector translate --json}: one address's translation as one indented JSON object. A frame number or
 * physical address the kernel did not show is null, with {@code pfnNote} saying why.
 */
public final class TranslateJson {

    private TranslateJson() {
    }

    /** Writes the translation to {@code out} (not closed), ending with a newline, and flushes it. */
    public static void write(Result r, HostInfo host, PrintWriter out) throws IOException {
        ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode o = om.createObjectNode();
        Split s = r.split();
        o.put("pid", r.pid());
        o.put("address", Hex.format(s.address()));
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
            mn.put("start", Hex.format(m.start()));
            mn.put("end", Hex.format(m.end()));
            mn.put("perms", m.perms().toString());
            mn.put("name", m.path().kernelText());
            if (m.path().nameHex() != null) {
                mn.put("nameHex", m.path().nameHex()); // the name's bytes, where they are not valid UTF-8
            }
            mn.put("lookup", r.lookup().name());
            o.put("pageInMapping", r.pageInMapping());
            if (r.fileOffset() != null) {
                o.put("fileOffset", Hex.format(r.fileOffset()));
            }
            o.put("kernelPageSize", r.kernelPageSize());
            if (r.huge() != null) {
                ObjectNode h = o.putObject("huge");
                h.put("shift", r.huge().shift());
                h.put("offset", Hex.format(r.huge().offset()));
                h.put("evidence", r.huge().evidence());
            }
            PagemapEntry e = r.entry();
            ObjectNode pe = o.putObject("pagemap");
            pe.put("raw", String.format("0x%016x", e.raw()));
            ArrayNode fl = pe.putArray("flags");
            e.flagNames().forEach(fl::add);
            pe.put("frame", e.frame().name());
            if (r.pfn() >= 0) {
                o.put("pfn", Hex.format(r.pfn()));
                o.put("physicalAddress", Hex.format(r.physicalAddress()));
            } else {
                o.putNull("pfn");
                o.putNull("physicalAddress");
                if (e.frame() == PagemapEntry.Frame.HIDDEN) {
                    o.put("pfnNote", PagesJson.PFNS_HIDDEN);
                }
            }
            if (r.kpageflags() != null) {
                ObjectNode k = o.putObject("kpageflags");
                k.put("raw", Hex.format(r.kpageflags().raw()));
                ArrayNode names = k.putArray("names");
                r.kpageflags().names().forEach(names::add);
                o.put("kpagecount", r.mapCount());
            }
            if (r.ram() != null) {
                ObjectNode ram = o.putObject("ram");
                ram.put("name", r.ram().name());
                ram.put("start", Hex.format(r.ram().start()));
                ram.put("end", Hex.format(r.ram().end()));
            }
        }
        out.println(om.writeValueAsString(o));
        out.flush();
    }
}
