package dev.inspector.tui;

import dev.inspector.core.model.PageRun;
import dev.inspector.core.residency.HeatMap;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pages whose residency changed since a baseline, and page runs bucketed the way core's heat map buckets them. */
class PageDiffTest {

    @Test
    void changedPagesAreCountedPerCell() {
        // Baseline: a 16-page mapping at page 100 with pages 0-3 present and 8-9 swapped.
        PageDiff base = PageDiff.of(new long[] {100}, List.of(List.of(new PageRun(0, 4, PageRun.PRESENT, -1),
                new PageRun(4, 4, 0, -1), new PageRun(8, 2, PageRun.SWAPPED, -1), new PageRun(10, 6, 0, -1))));
        // Now: pages 2-5 present (0,1 dropped; 4,5 new), 8-9 still swapped, 15 present.
        List<PageRun> now = List.of(new PageRun(0, 2, 0, -1), new PageRun(2, 4, PageRun.PRESENT, -1),
                new PageRun(6, 2, 0, -1), new PageRun(8, 2, PageRun.SWAPPED, -1), new PageRun(10, 5, 0, -1),
                new PageRun(15, 1, PageRun.PRESENT, -1));
        // 4 cells of 4 pages: cell 0 = pages 0-3 (0,1 changed), cell 1 = 4-7 (4,5), cell 2 = 8-11 (none), cell 3 (15).
        assertArrayEquals(new long[] {2, 2, 0, 1}, base.changedPerCell(100, 16, 4, now));
        // A window over the second half only (pages 108-115), 2 cells.
        List<PageRun> half = List.of(new PageRun(0, 2, PageRun.SWAPPED, -1), new PageRun(2, 5, 0, -1),
                new PageRun(7, 1, PageRun.PRESENT, -1));
        assertArrayEquals(new long[] {0, 1}, base.changedPerCell(108, 8, 2, half));
    }

    @Test
    void pagesMappedOnlyNowCountWhenTheyHoldSomething() {
        PageDiff base = PageDiff.of(new long[0], List.of());
        assertArrayEquals(new long[] {1, 0}, base.changedPerCell(500, 4, 2, List.of(new PageRun(0, 1,
                PageRun.PRESENT, -1), new PageRun(1, 3, 0, -1))));
    }

    @Test
    void runsAreBucketedLikeCoresHeatMap() {
        // 10 pages into 3 cells: core's boundaries are ceil(b*10/3) = 0, 4, 7, 10.
        HeatMap h = new HeatMap(0x10000, 0x10000 + 10 * 4096, 3, 4096);
        List<PageRun> runs = List.of(new PageRun(0, 5, PageRun.PRESENT, -1), new PageRun(5, 5, 0, -1));
        HeatSource r = HeatSource.ofRuns(runs, 0, 10, 3, PageRun.PRESENT | PageRun.SWAPPED);
        for (int b = 0; b < 3; b++) {
            assertEquals(h.firstPage(b), r.firstPage(b), "cell " + b);
            assertEquals(h.pages(b), r.pages(b), "cell " + b);
        }
        assertEquals(4, r.present(0));
        assertEquals(1, r.present(1));
        assertEquals(0, r.present(2));
        assertEquals(3, r.mapped(2));
        assertEquals(HeatCells.Category.PRESENT, HeatCells.cell(r, 0).category());
        assertEquals('█', HeatCells.cell(r, 0).glyph());
        assertEquals('▒', HeatCells.cell(r, 1).glyph(), "1 of 3 pages present: some");
        assertEquals(HeatCells.Category.UNTOUCHED, HeatCells.cell(r, 2).category());
    }
}
