package dev.inspector.present;

import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.json.PagesReport;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Residency;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.residency.MappingResidency;
import dev.inspector.core.residency.PfnState;
import dev.inspector.core.residency.ScanPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rows of {@code inspector pages}: mappings of a snapshot of this JVM with residency figures made up for the test
 * (the live figures are checked against the C readers in PagesCommandTest), so that unknown figures ('?'), a mapping
 * pagemap cannot see ('-') and the totals can be checked cell by cell.
 */
@EnabledOnOs(OS.LINUX)
@LiveTest
class PagesViewTest {

    static Snapshot real;

    @BeforeAll
    static void snapshotThisJvm() {
        real = dev.inspector.core.testing.Live.host().session((int) ProcessHandle.current().pid()).snapshot(SnapshotOptions.maps());
    }

    /** Residency of a mapping: {@code present} pages of it, a third of those zero page, exclusive unknown (-1). */
    static MappingResidency residency(Region r, long present) {
        long pages = r.mapping().size() / real.host().pageSize();
        Residency res = new Residency(pages, present, 0, pages - present, present / 3, 0, 0, -1, -1, "PAGEMAP_SCAN");
        return new MappingResidency(r.mapping(), res, null, 0, PfnState.NOT_COLLECTED, -1, null);
    }

    static PagesReport report(List<PagesReport.Row> rows) {
        return new PagesReport(4242, "evil\u001b[2Jcomm", real.regions().size(), real.host().pageSize(), null,
                ScanPath.PAGEMAP_SCAN, "PAGEMAP_SCAN: ranges of pages per ioctl", PfnState.NOT_COLLECTED, false, null,
                false, false, true, rows, null);
    }

    @Test
    void rowsInTheirKindsRoleUnknownFiguresAsQuestionMarksAndATotalsRow() {
        List<PagesReport.Row> rows = new ArrayList<>();
        long present = 0;
        long pages = 0;
        for (int i = 0; i < 3; i++) {
            Region r = real.regions().get(i);
            MappingResidency mr = residency(r, i + 1);
            present += i + 1;
            pages += mr.residency().pages();
            rows.add(new PagesReport.Row(i + 1, r, r.mapping(), mr, null, null));
        }
        Region blind = real.regions().get(3);
        rows.add(new PagesReport.Row(4, blind, blind.mapping(), null, null, null)); // like [vsyscall]
        List<Block> blocks = PagesView.present(report(rows), false);

        assertTrue(((Line) blocks.get(0)).text().startsWith("pid 4242 (evil\\x1b[2Jcomm): 4 of "),
                ((Line) blocks.get(0)).text());
        assertEquals("scan path: PAGEMAP_SCAN: ranges of pages per ioctl", ((Line) blocks.get(1)).text());
        Table t = (Table) blocks.get(2);
        assertEquals(5, t.size());
        for (int i = 0; i < 4; i++) {
            Row row = t.rowAt(i);
            assertEquals(Role.KIND, row.role());
            assertEquals(real.regions().get(i).kind(), row.kind());
            assertEquals(Integer.toString(i + 1), row.cell(0));
            assertEquals(Kinds.name(real.regions().get(i).kind()), row.cell(3));
        }
        assertEquals(Long.toString(2), t.rowAt(1).cell(5)); // PRESENT
        assertEquals("?", t.rowAt(1).cell(11)); // EXCL unknown on this path: '?', never 0
        assertEquals("-", t.rowAt(3).cell(5)); // no pagemap entries at all
        Row total = t.rowAt(4);
        assertEquals(Role.TOTAL, total.role());
        assertEquals("total", total.cell(1));
        assertEquals(Long.toString(pages), total.cell(4));
        assertEquals(Long.toString(present), total.cell(5));
        assertEquals("?", total.cell(11)); // a total with an unknown part is unknown
        // and each '?' and '-' is explained under the table
        List<String> notes = blocks.subList(3, blocks.size()).stream().map(b -> ((Line) b).text()).toList();
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("EXCL is '?'")), notes.toString());
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("'-': pagemap has no entries")), notes.toString());
    }

    @Test
    void theHeatLegendUsesTheSameCellsAsTheJson() {
        String legend = PagesView.heatLegend(true, true);
        assertTrue(legend.contains("'#' all") && legend.contains("'_' not mapped"), legend);
        assertEquals(dev.inspector.core.json.HeatCells.cell(1, 1, false), PagesView.cell(1, 1, false));
    }
}
