package dev.inspector.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Perms;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Residency;
import dev.inspector.core.residency.HeatMap;
import dev.inspector.core.residency.MappingResidency;
import dev.inspector.core.residency.PfnState;
import dev.inspector.core.residency.ScanPath;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code pages --json} document from a report whose figures the test chose, so each member can be checked. */
class PagesJsonTest {

    static final long STACK = 0x7ffd5f1ef000L;

    static PagesReport report(PfnState pfns, HeatMap heat) {
        Mapping stack = new Mapping(STACK, STACK + 8 * 4096, Perms.parse("rw-p"), 0, 0, 0, 0,
                MappingPath.bracketed("stack"));
        Mapping vsyscall = new Mapping(0xffffffffff600000L, 0xffffffffff601000L, Perms.parse("--xp"), 0, 0, 0, 0,
                MappingPath.VSYSCALL);
        Region s = new Region(stack, RegionKind.THREAD_STACK, null, List.of(), "test", 12);
        Region v = new Region(vsyscall, RegionKind.VSYSCALL, null, List.of(), "test", null);
        // 8 pages: 3 present, 5 never touched; the exclusive count and soft-dirty unknown on this path
        Residency res = new Residency(8, 3, 0, 5, 0, 0, 0, -1, -1, "PAGEMAP_SCAN");
        MappingResidency mr = new MappingResidency(stack, res, null, 0, pfns, -1, null);
        return new PagesReport(4242, "typical", 30, 4096, null, ScanPath.PAGEMAP_SCAN, "why this path", pfns, false,
                null, false, false, true, List.of(new PagesReport.Row(29, s, stack, mr, 8192L, heat),
                new PagesReport.Row(30, v, vsyscall, null, null, null)), null);
    }

    static String json(PagesReport r, boolean ascii) throws Exception {
        StringWriter w = new StringWriter();
        PagesJson.write(r, ascii, new PrintWriter(w));
        return w.toString();
    }

    @Test
    void unknownFiguresAreNullAndAMappingPagemapCannotSeeSaysSo() throws Exception {
        String text = json(report(PfnState.NOT_COLLECTED, null), false);
        assertTrue(text.startsWith("{\n  \"pid\" : 4242,\n  \"comm\" : \"typical\",\n"), text);
        assertTrue(text.endsWith("}\n"), text);
        JsonNode root = new ObjectMapper().readTree(text);
        assertEquals("PAGEMAP_SCAN", root.get("path").asText());
        assertEquals("NOT_COLLECTED", root.get("pfns").get("state").asText());
        JsonNode stack = root.get("mappings").get(0);
        assertEquals(29, stack.get("index").asInt());
        assertEquals("0x7ffd5f1ef000", stack.get("start").asText());
        assertEquals("thread-stack", stack.get("kind").asText());
        assertEquals("[stack]", stack.get("name").asText());
        assertEquals(3, stack.get("residency").get("present").asLong());
        assertTrue(stack.get("residency").get("exclusive").isNull(), "unknown, not 0");
        assertTrue(stack.get("physicalRuns").isNull());
        assertEquals(8192, stack.get("referencedBytes").asLong());
        assertFalse(stack.has("heat"));
        JsonNode blind = root.get("mappings").get(1);
        assertTrue(blind.get("residency").isNull());
        assertTrue(blind.get("note").asText().contains("kernel half"), blind.toString());
    }

    @Test
    void hiddenFramesCarryTheOneSentenceAndAHeatMapIsItsCells() throws Exception {
        HeatMap h = new HeatMap(STACK, STACK + 8 * 4096, 4, 4096); // nothing added to it: every cell unmapped
        JsonNode root = new ObjectMapper().readTree(json(report(PfnState.HIDDEN, h), true));
        assertEquals(PagesJson.PFNS_HIDDEN, root.get("pfns").get("reason").asText());
        assertEquals("____", root.get("mappings").get(0).get("heat").asText());
    }

    @Test
    void heatCellsSayWhatShareOfTheirPagesIsPresent() {
        assertEquals(HeatCells.UNMAPPED, HeatCells.cell(0, 0, false));
        assertEquals(' ', HeatCells.cell(0, 3, false));
        assertEquals('.', HeatCells.cell(1, 4, true));
        assertEquals(':', HeatCells.cell(1, 2, true));
        assertEquals('+', HeatCells.cell(2, 3, true));
        assertEquals('\u2592', HeatCells.cell(2, 3, false));
        assertEquals('#', HeatCells.cell(3, 3, true));
        assertEquals('\u2588', HeatCells.cell(3, 3, false));
    }
}
