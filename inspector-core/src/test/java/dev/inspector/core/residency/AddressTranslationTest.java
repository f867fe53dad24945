package dev.inspector.core.residency;

import dev.inspector.core.testing.Live;
import dev.inspector.core.residency.AddressTranslation.Level;
import dev.inspector.core.residency.AddressTranslation.Outcome;
import dev.inspector.core.residency.AddressTranslation.Result;
import dev.inspector.core.residency.AddressTranslation.Split;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.demo.SampleStep;
import dev.inspector.core.model.KernelLayout.RamRange;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Perms;
import dev.inspector.core.procfs.HostFacts;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.procfs.parse.KPageFlags;
import dev.inspector.core.procfs.parse.PagemapEntry;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.Samples;
import dev.inspector.core.testing.ZeroPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.math.BigInteger;
import java.nio.file.Paths;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@LiveTest
class AddressTranslationTest {

    /**
     * Expected indices computed without shifts: the address as a binary string of 64 digits, cut into 9-digit
     * groups from the top virtual-address bit down, each group read back in radix 2.
     */
    private static int[] byDigits(String hex, int levels) {
        String bin = String.format("%64s", new BigInteger(hex, 16).toString(2)).replace(' ', '0');
        int vaBits = levels == 5 ? 57 : 48;
        int[] out = new int[levels + 1];
        int pos = 64 - vaBits; // index of the first VA bit in the string (bit vaBits-1)
        for (int i = 0; i < levels; i++) {
            out[i] = Integer.parseInt(bin.substring(pos, pos + 9), 2);
            pos += 9;
        }
        out[levels] = Integer.parseInt(bin.substring(pos), 2); // the 12 offset bits
        return out;
    }

    private static void checkSplit(String hex, int levels) {
        long va = Long.parseUnsignedLong(hex, 16);
        Split s = AddressTranslation.split(va, levels);
        int[] want = byDigits(hex, levels);
        assertEquals(levels, s.levels().size(), hex);
        for (int i = 0; i < levels; i++) {
            assertEquals(want[i], s.levels().get(i).index(), hex + " level " + s.levels().get(i).name());
        }
        assertEquals(want[levels], s.pageOffset(), hex + " offset");
    }

    @Test
    void fourLevelSplitMatchesTheBinaryDigits() {
        for (String hex : new String[] {"7f75ad400123", "7ffffffff000", "555555554abc", "1000", "0",
            "ffffffffff600000", "ffff888000000000", "7fffffffffff"}) {
            checkSplit(hex, 4);
        }
        Split s = AddressTranslation.split(0x7f75ad400123L, 4);
        assertEquals(List.of("PGD", "PUD", "PMD", "PTE"), s.levels().stream().map(Level::name).toList());
        assertTrue(s.level("P4D").isEmpty(), "P4D is folded with 4-level paging");
        // Hand check of one address, digit by digit: 0x7f75ad400123 = 0111 1111 0111 0101 1010 1101 0100 0000 0000
        // 0001 0010 0011 -> PGD 011111110 = 254, PUD 111010110 = 470, PMD 101101010 = 362, PTE 0, offset 0x123.
        assertEquals(254, s.level("PGD").orElseThrow().index());
        assertEquals(470, s.level("PUD").orElseThrow().index());
        assertEquals(362, s.level("PMD").orElseThrow().index());
        assertEquals(0, s.level("PTE").orElseThrow().index());
        assertEquals(0x123, s.pageOffset());
        assertEquals(new Level("PGD", 254, 47, 39), s.levels().get(0));
        assertEquals(new Level("PTE", 0, 20, 12), s.levels().get(3));
    }

    @Test
    void fiveLevelSplitMatchesTheBinaryDigits() {
        for (String hex : new String[] {"7f75ad400123", "1ffffffffffffff", "ff11000000000000", "100000000000000",
            "abcdef012345678"}) {
            checkSplit(hex, 5);
        }
        // 0x00ff_ffff_ffff_f000: bit 56 clear, bits 55-48 set -> PGD 0x0ff
        Split s = AddressTranslation.split(0x00ff_ffff_ffff_f000L, 5);
        assertEquals(List.of("PGD", "P4D", "PUD", "PMD", "PTE"), s.levels().stream().map(Level::name).toList());
        assertEquals(new Level("PGD", 0x0ff, 56, 48), s.levels().get(0));
        assertTrue(s.canonical());
        assertFalse(s.kernelHalf());
    }

    @Test
    void canonicalAndKernelHalf() {
        assertTrue(AddressTranslation.split(0x7fffffffffffL, 4).canonical());
        assertFalse(AddressTranslation.split(0x800000000000L, 4).canonical(), "bit 47 set, 63..48 clear");
        assertTrue(AddressTranslation.split(0x800000000000L, 5).canonical(), "LA57: bit 47 is an ordinary bit");
        Split k = AddressTranslation.split(0xffff800000000000L, 4);
        assertTrue(k.canonical() && k.kernelHalf());
        assertFalse(AddressTranslation.split(0xff00000000000000L, 4).canonical());
        assertTrue(AddressTranslation.split(0xff00000000000000L, 5).kernelHalf());
        assertFalse(AddressTranslation.split(0x0100000000000000L, 5).canonical());
    }

    @Test
    void hugePageViewsDropTheLowerLevels() {
        Split s = AddressTranslation.split(0x7f75ad5ff123L, 4);
        assertEquals(0x1ff123L, s.offset(21), "2 MiB page: the low 21 bits");
        assertEquals(List.of("PGD", "PUD", "PMD"), s.walkFor(21).stream().map(Level::name).toList());
        assertEquals(List.of("PGD", "PUD"), s.walkFor(30).stream().map(Level::name).toList());
        assertEquals(0x2d5ff123L, s.offset(30));
    }

    @Test
    void outcomesOfEntries() {
        long zeroPfn = 0x3b34;
        assertEquals(Outcome.FRAME, AddressTranslation.outcome(PagemapEntry.of((1L << 63) | 0x1234, true),
                zeroPfn, null));
        assertEquals(Outcome.ZERO_PAGE, AddressTranslation.outcome(PagemapEntry.of((1L << 63) | zeroPfn, true),
                zeroPfn, null));
        assertEquals(Outcome.PFN_HIDDEN, AddressTranslation.outcome(PagemapEntry.of(1L << 63, false), -1, null));
        assertEquals(Outcome.ZERO_PAGE, AddressTranslation.outcome(PagemapEntry.of(1L << 63, false), -1, true));
        assertEquals(Outcome.NEVER_TOUCHED, AddressTranslation.outcome(PagemapEntry.of(0, true), zeroPfn, null));
        // Swapped: type 3, offset 0x42 in bits 5-54 (this host has no swap, so the entry is built by the layout).
        PagemapEntry sw = PagemapEntry.of((1L << 62) | (0x42L << 5) | 3, true);
        assertEquals(Outcome.SWAPPED, AddressTranslation.outcome(sw, zeroPfn, null));
        Mapping anon = new Mapping(0x1000, 0x3000, Perms.parse("rw-p"), 0, 0, 0, 0, MappingPath.ANONYMOUS);
        String why = AddressTranslation.explain(Outcome.SWAPPED, sw, anon);
        assertTrue(why.contains("swap type 3, offset 0x42"), why);
        assertTrue(AddressTranslation.explain(Outcome.ZERO_PAGE, PagemapEntry.of((1L << 63) | zeroPfn, true), anon)
                .startsWith("reads the shared zero page; a write will fault in a private page"));
    }

    /** The real walk on sparse_big: a written page, an untouched one, a zero-page one and an unmapped address. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void translatesRealAddressesOfSparseBig() {
        KernelFeatures f = Live.features();
        HostFacts host = new HostFacts(ProcFs.system());
        AddressTranslation t = new AddressTranslation(ProcFs.system(), f, host.pagingLevels(), host.pageSize());
        try (SampleProgram s = Samples.start("sparse_big", "64", "16", "8")) {
            SampleStep ready = s.awaitStep("ready");
            int ps = Integer.parseInt(ready.value("page_size"));
            SampleStep.Range dense = ready.range("dense");
            SampleStep.Range sparse = ready.range("sparse");
            SampleStep.Range zero = ready.range("zero");

            Result d = t.translate(s.pid(), dense.lo() + 5L * ps + 0x123);
            assertNotNull(d.mapping());
            assertTrue(d.mapping().contains(dense.lo()));
            assertEquals((dense.lo() + 5L * ps - d.mapping().start()) / ps, d.pageInMapping());
            assertTrue(d.entry().present());
            if (f.pfnsVisible().available()) {
                assertEquals(Outcome.FRAME, d.outcome());
                assertEquals(d.pfn() * ps + 0x123, d.physicalAddress());
                if (f.kpageflags().available()) {
                    assertTrue(d.kpageflags().has(KPageFlags.Flag.ANON), d.kpageflags().toString());
                    assertEquals(1, d.mapCount());
                    RamRange ram = d.ram();
                    assertNotNull(ram, d.ramNote());
                    assertTrue(Long.compareUnsigned(d.physicalAddress(), ram.start()) >= 0
                            && Long.compareUnsigned(d.physicalAddress(), ram.end()) <= 0);
                    String iomem = readIomem();
                    assertTrue(iomem.contains(String.format("%08x-%08x : System RAM", ram.start(), ram.end())),
                            "the range is a line of /proc/iomem");
                }
            } else {
                assertEquals(Outcome.PFN_HIDDEN, d.outcome());
                assertEquals(-1, d.pfn());
            }

            Result u = t.translate(s.pid(), sparse.lo() + ps); // stride 16: page 1 was never written
            assertEquals(Outcome.NEVER_TOUCHED, u.outcome());
            assertEquals(0, u.entry().raw());

            Result z = t.translate(s.pid(), zero.lo() + 7L * ps);
            if (ZeroPage.shared()) {
                assertEquals(Outcome.ZERO_PAGE, z.outcome(), z.explanation());
                if (f.pfnsVisible().available()) {
                    assertEquals(f.zeroPfn(), z.pfn());
                }
            } else {
                // a read page got a frame of its own here
                assertEquals(f.pfnsVisible().available() ? Outcome.FRAME : Outcome.PFN_HIDDEN, z.outcome(),
                        z.explanation());
            }

            // An unmapped address: the page below the lowest mapping's start is a gap from address 0.
            List<Mapping> maps = ProcFs.system().maps(s.pid());
            Result g = t.translate(s.pid(), maps.get(0).start() - ps);
            assertEquals(Outcome.NOT_MAPPED, g.outcome());
            assertNull(g.gapBelow());
            assertEquals(maps.get(0), g.gapAbove());
            assertTrue(g.explanation().contains("before mapping 1 ("), g.explanation());

            Result nc = t.translate(s.pid(), 0x0000800000000000L);
            assertEquals(host.pagingLevels() == 4 ? Outcome.NON_CANONICAL : Outcome.NOT_MAPPED, nc.outcome());
            assertEquals(Outcome.KERNEL_HALF, t.translate(s.pid(), 0xffffffffff600000L).outcome());
        }
    }

    private static String readIomem() {
        try {
            return Samples.readProcFile(Paths.get("/proc/iomem"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
