package dev.inspector.tui;

import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Perms;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Snapshot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The address-space column: the whole 64-bit space top to bottom in a fixed number of rows. */
class AddressColumnTest {

    private static Region region(long start, long size, RegionKind k) {
        return new Region(new Mapping(start, start + size, Perms.parse(k == RegionKind.GUARD ? "---p" : "rw-p"), 0, 0,
                0, 0, MappingPath.ANONYMOUS), k, null, List.of(), "test", null);
    }

    /** Bands go down the address space: each starts at or above the end of the next (unsigned). */
    private static void assertDescending(List<AddressColumn.Band> bands) {
        for (int i = 0; i + 1 < bands.size(); i++) {
            AddressColumn.Band a = bands.get(i);
            AddressColumn.Band b = bands.get(i + 1);
            if (b.continuation() || b.type() == AddressColumn.Type.KERNEL) {
                continue; // the kernel band spans the whole kernel half; [vsyscall], above it, lies inside it
            }
            long bEnd = b.end() == 0 ? -1 : b.end() - 1;
            assertTrue(Long.compareUnsigned(a.start(), bEnd) > 0 || a.continuation(),
                    "band " + i + " " + a + " is not above " + b);
        }
    }

    @Test
    void theFixtureFromTheKernelHalfDownToZero() {
        Snapshot s = TuiFixtures.tricky();
        int heap = -1;
        for (int i = 0; i < s.regions().size(); i++) {
            if (s.regions().get(i).kind() == RegionKind.HEAP) {
                heap = i;
            }
        }
        List<AddressColumn.Band> bands = AddressColumn.layout(s.regions(), heap, 27, 48);
        assertTrue(bands.size() <= 27);
        assertEquals(RegionKind.VSYSCALL, bands.get(0).kind(), "[vsyscall] is the highest mapping");
        assertEquals(AddressColumn.Type.KERNEL, bands.get(1).type());
        assertEquals(0xffff800000000000L, bands.get(1).start());
        assertEquals(AddressColumn.Type.HOLE, bands.get(2).type());
        assertEquals(0x800000000000L, bands.get(2).start());
        assertEquals(0xffff800000000000L - 0x800000000000L, bands.get(2).bytes());
        assertDescending(bands);
        AddressColumn.Band last = bands.get(bands.size() - 1);
        assertEquals(AddressColumn.Type.GAP, last.type());
        assertEquals(0, last.start(), "the bottom band reaches address 0");
        assertEquals(s.regions().get(0).mapping().start(), last.end(), "below the lowest mapping");
        long selected = bands.stream().filter(AddressColumn.Band::selected).count();
        assertEquals(1, selected);
        AddressColumn.Band sel = bands.stream().filter(AddressColumn.Band::selected).findFirst().orElseThrow();
        assertEquals(AddressColumn.Type.REGION, sel.type());
        assertEquals(heap, sel.first());
    }

    @Test
    void aGuardPageNextToTheSelectionIsARowOfItsOwnAmongThousands() {
        List<Region> regions = new ArrayList<>();
        long a = 0x7f0000000000L;
        for (int i = 0; i < 3000; i++) {
            regions.add(region(a, 4096, RegionKind.GUARD));
            a += 4096;
            regions.add(region(a, 8 << 20, RegionKind.THREAD_STACK));
            a += 8 << 20;
        }
        int sel = 2001; // a thread stack; the 4 KiB guard page below it is index 2000
        List<AddressColumn.Band> bands = AddressColumn.layout(regions, sel, 30, 48);
        assertTrue(bands.size() <= 30);
        assertDescending(bands);
        boolean guard = false;
        for (AddressColumn.Band b : bands) {
            if (b.type() == AddressColumn.Type.REGION && b.first() == 2000) {
                guard = true;
                assertEquals(4096, b.bytes());
                assertEquals(RegionKind.GUARD, b.kind());
            }
        }
        assertTrue(guard, "the guard page below the selected stack has a row: " + bands);
        long counted = 0;
        for (AddressColumn.Band b : bands) {
            if (b.type() == AddressColumn.Type.REGION || b.type() == AddressColumn.Type.GROUP) {
                counted += b.count();
            }
        }
        assertEquals(regions.size(), counted, "every mapping is in exactly one row");
    }

    @Test
    void sixtyThousandMappingsFitTheRowsWithTheSelectionInView() {
        List<Region> regions = new ArrayList<>();
        long a = 0x7f0000000000L;
        for (int i = 0; i < 60_000; i++) {
            regions.add(region(a, 4096, i % 2 == 0 ? RegionKind.ANONYMOUS : RegionKind.RESERVED));
            a += 4096;
        }
        regions.add(region(0x7ffd00000000L, 132 << 10, RegionKind.STACK));
        for (int sel : new int[] {0, 29_999, 59_999, 60_000}) {
            List<AddressColumn.Band> bands = AddressColumn.layout(regions, sel, 21, 48);
            assertTrue(bands.size() <= 21, "rows: " + bands.size());
            assertDescending(bands);
            assertEquals(1, bands.stream().filter(b -> b.selected() && b.type() == AddressColumn.Type.REGION
                    && b.first() == sel).count(), "selection " + sel + " is a row of its own");
        }
    }

    @Test
    void gapsAreLabelledWithTheirExactSize() {
        List<Region> regions = List.of(region(0x1000, 0x1000, RegionKind.DATA), region(0x10000, 0x1000,
                RegionKind.HEAP));
        List<AddressColumn.Band> bands = AddressColumn.layout(regions, 1, 20, 48);
        List<AddressColumn.Band> gaps = bands.stream().filter(b -> b.type() == AddressColumn.Type.GAP).toList();
        assertEquals(3, gaps.size(), "above the heap, between the two, below the data: " + bands);
        assertEquals(0x800000000000L - 0x11000, gaps.get(0).bytes());
        assertEquals(0x10000 - 0x2000, gaps.get(1).bytes());
        assertEquals(0x1000, gaps.get(2).bytes());
    }
}
