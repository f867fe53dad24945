package dev.inspector.cli.bench;

import dev.inspector.core.testing.Live;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.procfs.parse.MapsParser;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.List;

import static dev.inspector.cli.bench.BenchPagesCommandTest.cli;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@LiveTest
class BenchProcmapCommandTest {

    private static final List<Mapping> MAPS = MapsParser.parse("""
            55d1c0a00000-55d1c0a02000 r--p 00000000 fd:01 1234 /usr/bin/cat
            55d1c0a02000-55d1c0a08000 r-xp 00002000 fd:01 1234 /usr/bin/cat
            55d1c1000000-55d1c1021000 rw-p 00000000 00:00 0 [heap]
            7ffd1c000000-7ffd1c021000 rw-p 00000000 00:00 0 [stack]
            ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]
            """, "maps");

    @Test
    void probeAddressesAreMiddlesOfUserMappings() {
        // stopped: every user-half mapping, page-aligned middles; never [vsyscall]
        assertArrayEquals(new long[] {0x55d1c0a01000L, 0x55d1c0a05000L, 0x55d1c1010000L, 0x7ffd1c010000L},
                BenchProcmapCommand.probeAddresses(MAPS, true, 64));
        // running: file-backed only
        assertArrayEquals(new long[] {0x55d1c0a01000L, 0x55d1c0a05000L},
                BenchProcmapCommand.probeAddresses(MAPS, false, 64));
        // fewer wanted than there are: spread over the list
        assertArrayEquals(new long[] {0x55d1c0a01000L, 0x55d1c1010000L},
                BenchProcmapCommand.probeAddresses(MAPS, true, 2));
    }

    @Test
    void verdictNamesTheFasterWay() {
        assertTrue(BenchProcmapCommand.verdict("single", 100, 1000).endsWith("PROCMAP_QUERY (10.0x)"));
        assertTrue(BenchProcmapCommand.verdict("whole", 800, 100).endsWith("maps text (8.0x)"));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void selfRunsAndSaysWhichWayWins() {
        assumeTrue(Live.features().procmapQuery().available(), Live.features().procmapQuery().reason());
        BenchPagesCommandTest.Run r = cli("bench", "procmap", "self", "--rounds", "3", "--warmup", "1");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().matches("(?s).*whole-map read\\s+\\d+\\.\\d+\\s+(PROCMAP_QUERY|maps text) \\(.*"), r.out());
        assertTrue(r.out().matches("(?s).*single-address lookup\\s+\\d+\\.\\d+\\s+(PROCMAP_QUERY|maps text) .*"),
                r.out());
        assertTrue(r.out().contains("not compared strictly"), r.out());
    }

    /** On a stopped many_vmas both ways must agree exactly: N bulk mappings plus the sample's own. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void stoppedSampleAgreesBothWays() {
        assumeTrue(Live.features().procmapQuery().available(), Live.features().procmapQuery().reason());
        BenchPagesCommandTest.Run r = cli("bench", "procmap", "--many", "500", "--rounds", "2", "--warmup", "0");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("every lookup found the same mapping both ways"), r.out());
        assertTrue(r.out().matches("(?s).*target: many_vmas 500 \\(pid \\d+, stopped\\), \\d{3} mappings.*"), r.out());
    }

    @Test
    void pidAndManyAreExclusive() {
        BenchPagesCommandTest.Run r = cli("bench", "procmap", "self", "--many", "10");
        assertEquals(2, r.code(), r.err());
        BenchPagesCommandTest.Run none = cli("bench", "procmap");
        assertEquals(2, none.code(), none.err());
    }
}
