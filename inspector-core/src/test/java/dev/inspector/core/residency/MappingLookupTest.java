package dev.inspector.core.residency;

import dev.inspector.core.testing.Live;
import dev.inspector.core.NoSuchProcess;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.procfs.parse.MapsParser;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.sys.Sys;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;

import static dev.inspector.core.residency.Lab.PAGE;
import static dev.inspector.core.residency.Lab.PID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@LiveTest
class MappingLookupTest {

    private static final List<Mapping> MAPS = MapsParser.parse("""
            55d1c0a00000-55d1c0a02000 r--p 00000000 fd:01 1234 /usr/bin/cat
            55d1c0a02000-55d1c0a07000 r-xp 00002000 fd:01 1234 /usr/bin/cat
            55d1c1000000-55d1c1021000 rw-p 00000000 00:00 0 [heap]
            7ffd1c000000-7ffd1c021000 rw-p 00000000 00:00 0 [stack]
            ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]
            """, "maps");

    @Test
    void searchFindsTheContainingMappingWithExclusiveEnds() {
        assertEquals(0x55d1c0a00000L, MappingLookup.search(MAPS, 0x55d1c0a00000L).orElseThrow().start());
        assertEquals(0x55d1c0a00000L, MappingLookup.search(MAPS, 0x55d1c0a01fffL).orElseThrow().start());
        // the end is exclusive: the next mapping starts there
        assertEquals(0x55d1c0a02000L, MappingLookup.search(MAPS, 0x55d1c0a02000L).orElseThrow().start());
        assertEquals(0x7ffd1c000000L, MappingLookup.search(MAPS, 0x7ffd1c020fffL).orElseThrow().start());
    }

    @Test
    void searchReportsGapsAndComparesUnsigned() {
        assertEquals(Optional.empty(), MappingLookup.search(MAPS, 0x1000L));
        assertEquals(Optional.empty(), MappingLookup.search(MAPS, 0x55d1c0a07000L)); // gap before the heap
        assertEquals(Optional.empty(), MappingLookup.search(MAPS, 0x7ffd1c021000L));
        assertEquals(Optional.empty(), MappingLookup.search(List.of(), 0x1000L));
        // [vsyscall] lies above Long.MAX_VALUE: found only with unsigned comparisons
        assertEquals(0xffffffffff600000L, MappingLookup.search(MAPS, 0xffffffffff600800L).orElseThrow().start());
        assertEquals(Optional.empty(), MappingLookup.search(MAPS, 0x8000000000000000L));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void bothWaysFindTheSameMappingsOfALiveProcess() {
        assumeTrue(Live.features().procmapQuery().available(), Live.features().procmapQuery()
                .reason());
        ProcFs fs = ProcFs.system();
        long start = Lab.fencedRegion(8, 0);
        try {
            long inside = start + 3L * PAGE;
            Mapping viaQuery = MappingLookup.viaProcmapQuery(fs, PID, inside).orElseThrow();
            Mapping viaText = MappingLookup.viaMapsText(fs, PID, inside).orElseThrow();
            assertEquals(start, viaQuery.start());
            assertEquals(start + 8L * PAGE, viaQuery.end());
            assertEquals(viaText.start(), viaQuery.start());
            assertEquals(viaText.end(), viaQuery.end());
            assertEquals(viaText.perms(), viaQuery.perms());
            assertTrue(MappingLookup.usesProcmapQuery(fs, Live.features(), inside));
            assertEquals(start, MappingLookup.find(fs, Live.features(), PID, inside).orElseThrow().start());
            // the PROT_NONE fence below is another VMA (perhaps merged with a PROT_NONE neighbour): it ends at start
            Mapping fence = MappingLookup.find(fs, Live.features(), PID, start - 1).orElseThrow();
            assertEquals(start, fence.end());
            assertTrue(fence.perms().none());
        } finally {
            Lab.unmapFenced(start, 8);
        }
        long gone = Sys.mmap(PAGE, Sys.PROT_READ, Sys.MAP_PRIVATE);
        Sys.munmap(gone, PAGE);
        // an address nothing maps (unless another thread maps it in between: then both ways must still agree)
        assertEquals(MappingLookup.viaMapsText(fs, PID, gone).map(Mapping::start),
                MappingLookup.viaProcmapQuery(fs, PID, gone).map(Mapping::start));
        // file-backed: the JVM's libjvm.so text
        Mapping lib = fs.maps(PID).stream().filter(m -> m.path().isFile() && m.perms().toString().contains("x"))
                .findFirst().orElseThrow();
        long mid = lib.start() + (lib.size() / 2 & -PAGE);
        assertEquals(lib.start(), MappingLookup.find(fs, Live.features(), PID, mid).orElseThrow().start());
    }

    @Test
    void kernelHalfAndFixtureTreesUseTheText() {
        assertFalse(MappingLookup.usesProcmapQuery(ProcFs.system(), Live.features(), 0xffffffffff600000L));
        assertFalse(MappingLookup.usesProcmapQuery(new ProcFs(Paths.get("/nonexistent")), Live.features(), 0x1000L));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aMissingProcessIsNoSuchProcessBothWays() {
        int unused = findUnusedPid();
        assertThrows(NoSuchProcess.class, () -> MappingLookup.viaMapsText(ProcFs.system(), unused, 0x1000L));
        if (Live.features().procmapQuery().available()) {
            assertThrows(NoSuchProcess.class,
                    () -> MappingLookup.viaProcmapQuery(ProcFs.system(), unused, 0x1000L));
        }
    }

    private static int findUnusedPid() {
        for (int p = 4_000_000; p > 3_000_000; p -= 7919) {
            if (!Paths.get("/proc", Integer.toString(p)).toFile().exists()) {
                return p;
            }
        }
        throw new AssertionError("no unused pid found");
    }
}
