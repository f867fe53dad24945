package dev.inspector.core.residency;

import dev.inspector.core.testing.Live;
import dev.inspector.core.NoSuchProcess;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.procfs.parse.MapsParser;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.testing.Samples;
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

    /** Both ways on a region this test mapped in its own process: the only part of this JVM the test controls. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void bothWaysFindARegionThisTestMapped() {
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
    }

    /**
     * Both ways over a sample stopped at its ready step, so the two reads see the same mappings: every mapping found
     * at its first and last byte (files, anonymous memory, thread stacks, the stack), and every gap found by neither.
     * (This used to compare two reads of this JVM, whose threads may map or unmap between them.)
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void bothWaysFindTheSameMappingsOfAStoppedSample() {
        assumeTrue(Live.features().procmapQuery().available(), Live.features().procmapQuery()
                .reason());
        ProcFs fs = ProcFs.system();
        try (SampleProgram s = Samples.start("typical")) {
            s.awaitStep("ready");
            int pid = s.pid();
            List<Mapping> maps = fs.maps(pid);
            int gaps = 0;
            for (int i = 0; i < maps.size(); i++) {
                Mapping m = maps.get(i);
                if (m.path().type() == dev.inspector.core.model.MappingPath.Type.VSYSCALL) {
                    continue; // the gate area is no VMA: PROCMAP_QUERY does not list it
                }
                for (long a : new long[] {m.start(), m.end() - 1}) {
                    assertEquals(Optional.of(m.start()), MappingLookup.viaMapsText(fs, pid, a).map(Mapping::start));
                    Mapping q = MappingLookup.viaProcmapQuery(fs, pid, a).orElseThrow(
                            () -> new AssertionError("PROCMAP_QUERY finds nothing at 0x" + Long.toHexString(a)));
                    assertEquals(m.start(), q.start(), m.toMapsLine());
                    assertEquals(m.end(), q.end(), m.toMapsLine());
                    assertEquals(m.perms(), q.perms(), m.toMapsLine());
                }
                if (i + 1 < maps.size() && m.end() != maps.get(i + 1).start()) {
                    gaps++;
                    assertEquals(Optional.empty(), MappingLookup.viaMapsText(fs, pid, m.end()));
                    assertEquals(Optional.empty(), MappingLookup.viaProcmapQuery(fs, pid, m.end()));
                }
            }
            assertTrue(gaps > 0, "a process has gaps between its mappings");
            assertTrue(maps.stream().anyMatch(m -> m.path().isFile() && m.perms().exec()), "file-backed text");
            assertEquals(maps, fs.maps(pid), "the stopped sample's mappings did not change");
        }
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
