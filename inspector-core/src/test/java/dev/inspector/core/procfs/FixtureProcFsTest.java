package dev.inspector.core.procfs;

import dev.inspector.core.model.ProcessList;
import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.NoSuchProcess;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.testing.Fixtures;
import dev.inspector.core.procfs.parse.SmapsRecord;
import dev.inspector.core.procfs.parse.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Readers through {@code new ProcFs(fixtureRoot)} on the captured trees (see fixtures/FIXTURES.md). */
class FixtureProcFsTest {

    private final ProcFs tricky = new ProcFs(Fixtures.proc("tricky"));
    private final int trickyPid = Fixtures.pid("tricky");

    private MappingPath pathEndingWith(List<Mapping> maps, String suffix) {
        return maps.stream().map(Mapping::path).filter(p -> p.name().endsWith(suffix)).findFirst()
                .orElseThrow(() -> new AssertionError("no mapping named *" + suffix));
    }

    @Test
    void trickyNamesSurviveTheReader() throws IOException {
        Target t = Target.open(tricky, trickyPid);
        List<Mapping> maps = t.maps();
        assertEquals("  lead and trail  ", fileName(pathEndingWith(maps, "  lead and trail  ")));
        MappingPath newline = pathEndingWith(maps, "new\nline");
        assertFalse(newline.deleted());
        assertTrue(pathEndingWith(maps, "/gone").deleted());
        // In a fixture the disk cannot be consulted: "x (deleted)" reads as the kernel's suffix on a file "x".
        MappingPath x = pathEndingWith(maps, "/x");
        assertTrue(x.deleted());
        MappingPath memfd = pathEndingWith(maps, "tricky memfd");
        assertTrue(memfd.isMemfd() && memfd.deleted());
        assertTrue(pathEndingWith(maps, "/dev/zero").deleted());
        assertTrue(maps.stream().anyMatch(m -> m.path().isSysvShm() && m.path().deleted()));
        assertTrue(maps.stream().anyMatch(m -> m.path().type() == MappingPath.Type.VVAR_VCLOCK));
        assertEquals("tri (cky) x", t.comm());
        assertEquals("tri (cky) x", t.stat().comm());
        // The threads are the captured task directories: the main thread and the program's worker.
        List<Integer> tids = capturedTids("tricky");
        assertEquals(2, tids.size());
        assertEquals(tids, t.taskIds());
        assertEquals(trickyPid, t.taskStat(trickyPid).pid());
        assertEquals(tids.size(), t.status().threads());
        int worker = tids.stream().filter(tid -> tid != trickyPid).findFirst().orElseThrow();
        assertEquals("tricky worker", t.taskComm(worker));
        assertTrue(t.cmdline().get(0).endsWith("tricky"));
    }

    private static List<Integer> capturedTids(String tree) throws IOException {
        try (var s = Files.list(Fixtures.pidDir(tree).resolve("task"))) {
            return s.map(p -> Integer.parseInt(p.getFileName().toString())).sorted().toList();
        }
    }

    private static String fileName(MappingPath p) {
        return p.name().substring(p.name().lastIndexOf('/') + 1);
    }

    @Test
    void streamedSmapsHasOneRecordPerMapping() {
        ProcessFiles f = new ProcessFiles(tricky, trickyPid);
        List<Mapping> maps = f.maps();
        List<SmapsRecord> recs = new ArrayList<>();
        f.smaps(recs::add);
        assertEquals(maps.size(), recs.size());
        for (int i = 0; i < maps.size(); i++) {
            assertEquals(maps.get(i), recs.get(i).mapping());
        }
        Smaps rollup = f.smapsRollup();
        assertEquals(recs.stream().mapToLong(r -> r.smaps().rss()).sum(), rollup.rss());
        assertEquals(maps.size(), f.countMappings());
    }

    @Test
    void hostFactsFromTheFixture() throws IOException {
        HostFacts h = new HostFacts(tricky);
        Path root = Fixtures.proc("tricky");
        assertEquals(Files.readString(root.resolve("sys/kernel/osrelease")).trim(), h.kernelRelease());
        String enabled = Files.readString(root.resolveSibling("sys").resolve("kernel/mm/transparent_hugepage/enabled"));
        assertTrue(enabled.contains("[" + h.thpMode() + "]"));
        boolean la57 = Files.readString(root.resolve("cpuinfo")).matches("(?s).*flags\\s*:.* la57( .*|\\n.*)");
        assertEquals(la57 ? 5 : 4, h.pagingLevels());
        HostInfo info = h.read(true, false, false, false);
        assertEquals(new ProcessFiles(tricky, trickyPid).auxv().pageSize().intValue(), info.pageSize());
        // The captured [stack] must lie below the end of the user half the host facts derive.
        long stackEnd = new ProcessFiles(tricky, trickyPid).maps().stream()
                .filter(m -> m.path().type() == MappingPath.Type.STACK).findFirst().orElseThrow().end();
        assertTrue(Long.compareUnsigned(stackEnd, info.highestUserAddress()) <= 0);
        assertEquals(0x7ffffffff000L, HostFacts.highestUserAddress(4, 4096));
        assertEquals((1L << 56) - 4096, HostFacts.highestUserAddress(5, 4096));
        assertEquals(Integer.parseInt(Files.readString(root.resolve("sys/kernel/randomize_va_space")).trim()),
                info.randomizeVaSpace());
    }

    @Test
    void processListOverAFixture() {
        ProcessList l = ProcessScanner.scan(tricky);
        assertEquals(1, l.rows().size());
        ProcessList.Row r = l.rows().get(0);
        ProcessFiles f = new ProcessFiles(tricky, trickyPid);
        assertEquals(f.countMappings(), r.mappings());
        assertEquals(f.smapsRollup().pss(), r.pss());
        assertEquals(f.stat().vsize(), r.vsz());
        assertEquals(f.status().memoryBytes("VmRSS"), r.rss());
        assertEquals("tri (cky) x", r.comm());
        assertEquals(0, l.vanished());
    }

    @Test
    void absentPidIsNoSuchProcess() {
        assertThrows(NoSuchProcess.class, () -> Target.open(tricky, trickyPid + 1));
    }

    /** A maps listing that stays torn on the re-read is malformed (the read is retried exactly once). */
    @Test
    void tornMapsAreRetriedThenRejected(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("proc/77");
        Files.createDirectories(dir);
        Files.copy(Fixtures.pidDir("sleep").resolve("stat"), dir.resolve("stat"));
        Files.writeString(dir.resolve("maps"), "1000-3000 rw-p 00000000 00:00 0\n2000-4000 rw-p 00000000 00:00 0\n");
        Target t = Target.open(new ProcFs(tmp.resolve("proc")), 77);
        MalformedProcFile e = assertThrows(MalformedProcFile.class, t::maps);
        assertTrue(e.getMessage().contains("torn"), e.getMessage());
        Files.writeString(dir.resolve("maps"), "1000-2000 rw-p 00000000 00:00 0\n2000-4000 rw-p 00000000 00:00 0\n"
                + "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n");
        assertEquals(3, t.maps().size());
    }

    @Test
    void pidReuseIsDetectedByStartTime(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("proc/77");
        Files.createDirectories(dir);
        String stat = Files.readString(Fixtures.pidDir("sleep").resolve("stat"));
        Files.writeString(dir.resolve("stat"), stat);
        ProcFs fs = new ProcFs(tmp.resolve("proc"));
        Target t = Target.open(fs, 77);
        t.checkSame();
        Stat s = t.stat();
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        after[22 - 3] = Long.toString(s.startTime() + 1); // field 22 is index 19 after "pid (comm) "
        Files.writeString(dir.resolve("stat"), stat.substring(0, stat.lastIndexOf(')') + 2) + String.join(" ", after));
        assertThrows(dev.inspector.core.ProcessGone.class, t::checkSame);
        Files.delete(dir.resolve("stat"));
        Files.delete(dir);
        assertThrows(dev.inspector.core.ProcessGone.class, t::checkSame);
    }
}
