package dev.inspector.core.residency;

import dev.inspector.core.BadInput;
import dev.inspector.core.model.PageRun;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HeatMapTest {

    @Test
    void bucketsPartitionTheRangeExactly() {
        HeatMap h = new HeatMap(0x10000, 0x10000 + 10L * 4096, 3, 4096);
        assertEquals(4, h.pages(0));
        assertEquals(3, h.pages(1));
        assertEquals(3, h.pages(2));
        long startPage = 0x10000 >>> 12;
        h.add(startPage, 10, PageRun.PRESENT);
        h.add(startPage + 2, 0, 0);
        assertEquals(4, h.present(0));
        assertEquals(3, h.present(1));
        assertEquals(1.0, h.fraction(2, PageRun.PRESENT));
    }

    @Test
    void runsAreClippedAndSplitAcrossBuckets() {
        HeatMap h = new HeatMap(0, 8L * 4096, 4, 4096);
        h.add(1, 5, PageRun.PRESENT | PageRun.ZERO); // pages 1..5
        h.add(6, 100, 0); // runs past the end: clipped
        assertEquals(1, h.present(0));
        assertEquals(2, h.present(1));
        assertEquals(2, h.zeroPage(2));
        assertEquals(0, h.present(3));
        assertEquals(2, h.mapped(3));
        assertEquals(1.0, h.fraction(0, PageRun.PRESENT), "page 0 is unmapped: the fraction is of mapped pages");
        assertEquals(0.5, h.mappedFraction(0));
    }

    @Test
    void hugeRangesNeedOnlyBucketMemory() {
        long tib = 1L << 40;
        HeatMap h = new HeatMap(0x7f0000000000L, 0x7f0000000000L + 64 * tib / 1024, 1000, 4096); // 64 GiB
        h.add(0x7f0000000000L >>> 12, (64L << 30) >>> 12, PageRun.PRESENT);
        long total = 0;
        for (int b = 0; b < h.buckets(); b++) {
            total += h.present(b);
        }
        assertEquals((64L << 30) >>> 12, total);
    }

    @Test
    void rejectsBadRanges() {
        assertThrows(BadInput.class, () -> new HeatMap(4096, 4096, 4, 4096));
        assertThrows(BadInput.class, () -> new HeatMap(0, 4097, 4, 4096));
        assertThrows(BadInput.class, () -> new HeatMap(0, 4096, 0, 4096));
    }
}
