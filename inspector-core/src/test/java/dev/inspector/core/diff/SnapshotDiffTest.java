package dev.inspector.core.diff;

import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.demo.SampleStep;
import dev.inspector.core.json.RealSnapshots;
import dev.inspector.core.model.AslrBases;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Perms;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.lang.ref.Reference;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnabledOnOs(OS.LINUX)
@LiveTest
class SnapshotDiffTest {

    static final int MIB = 1 << 20;

    @TempDir
    Path tmp;

    /**
     * demand_paging stopped before and after the step that maps a region and writes every page: that region is the one
     * change of at least its size, and it brings its RSS. (This used to diff two snapshots of this JVM around a direct
     * buffer, where another thread's new malloc arena could add a change of the same size.)
     */
    @Test
    void aRegionMappedAndWrittenBetweenTwoStepsIsTheOneLargeChangeWithItsRss() {
        long size = 8L * MIB;
        try (SampleProgram s = Samples.start("demand_paging", "8")) {
            s.runTo("after_madv_dontneed");
            Snapshot before = RealSnapshots.of(s.pid(), false);
            s.cont();
            SampleStep written = s.awaitStep("after_write_thp_region");
            Snapshot after = RealSnapshots.of(s.pid(), false);
            long lo = written.range("thp").lo();

            DiffResult d = SnapshotDiff.compare(before, after);
            List<RegionChange> big = d.changes().stream().filter(c -> c.sizeDelta() >= size)
                    .collect(Collectors.toList());
            assertEquals(1, big.size(), () -> "changes: " + d.changes());
            RegionChange c = big.get(0);
            assertTrue(c.has(Aspect.ADDED) || c.has(Aspect.GREW_UP) || c.has(Aspect.GREW_DOWN), c.aspects().toString());
            assertTrue(c.after().stream().anyMatch(r -> r.mapping().contains(lo)), "the region the sample announced");
            assertTrue(c.after().stream().allMatch(r -> r.mapping().path().type() == MappingPath.Type.ANONYMOUS));
            assertTrue(c.after().stream().allMatch(r -> r.mapping().perms().equals(Perms.parse("rw-p"))));
            assertNotNull(c.usageDelta());
            assertTrue(c.usageDelta().rss() >= size, "every page was written: " + c.usageDelta());
            assertTrue(d.totals().usageDelta().rss() >= size);
            assertTrue(d.process().minorFaultsDelta() > 0, "writing new pages faults");
            assertEquals(after.process().minorFaults() - before.process().minorFaults(), d.process().minorFaultsDelta());
            assertReconstructs(before, after, d);
        }
    }

    @Test
    void mappedFileShowsAsExactlyThatRegionAdded() throws Exception {
        Path f = tmp.resolve("mapped.bin");
        long size = 8L * MIB;
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(size);
        }
        Snapshot before = RealSnapshots.self(false);
        MappedByteBuffer mb;
        try (FileChannel ch = FileChannel.open(f, java.nio.file.StandardOpenOption.READ)) {
            mb = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        long sum = 0;
        for (int i = 0; i < size; i += 4096) {
            sum += mb.get(i);
        }
        Snapshot after = RealSnapshots.self(false);
        Reference.reachabilityFence(mb);
        assertEquals(0, sum);

        DiffResult d = SnapshotDiff.compare(before, after);
        String path = f.toRealPath().toString();
        List<RegionChange> ours = d.changes().stream()
                .filter(c -> c.after().stream().anyMatch(r -> r.mapping().path().name().equals(path)))
                .collect(Collectors.toList());
        assertEquals(1, ours.size());
        RegionChange c = ours.get(0);
        assertEquals(Set.of(Aspect.ADDED), c.aspects());
        assertEquals(1, c.after().size());
        assertEquals(size, c.sizeDelta());
        assertEquals(path, c.label());
        assertEquals(Perms.parse("r--s"), c.after().get(0).mapping().perms());
        assertEquals(size, c.usageAfter().rss(), "every page was read once");
        assertEquals(Usage.ZERO, c.usageBefore());
        assertReconstructs(before, after, d);
    }

    @Test
    void mprotectInTheMiddleIsASplitAndTheReverseAMerge() {
        Snapshot real = RealSnapshots.self(false);
        Region victim = real.regions().stream()
                .filter(r -> r.mapping().path().type() == MappingPath.Type.ANONYMOUS
                        && r.mapping().perms().equals(Perms.parse("rw-p")) && r.mapping().size() >= 3 * 4096)
                .findFirst().orElseThrow();
        Mapping m = victim.mapping();
        long p = 4096;
        Region lo = piece(victim, m.start(), m.start() + p, m.perms());
        Region mid = piece(victim, m.start() + p, m.start() + 2 * p, Perms.parse("r--p"));
        Region hi = piece(victim, m.start() + 2 * p, m.end(), m.perms());
        Snapshot split = replace(real, victim, List.of(lo, mid, hi));

        DiffResult d = SnapshotDiff.compare(real, split);
        assertEquals(1, d.changes().size(), () -> d.changes().toString());
        RegionChange c = d.changes().get(0);
        assertEquals(Set.of(Aspect.SPLIT, Aspect.PERMS), c.aspects());
        assertEquals(List.of(victim), c.before());
        assertEquals(List.of(lo, mid, hi), c.after());
        assertEquals(0, c.sizeDelta());
        assertNull(c.usageAfter(), "the pieces have no smaps figures");
        assertReconstructs(real, split, d);

        DiffResult r = SnapshotDiff.compare(split, real);
        assertEquals(1, r.changes().size());
        assertEquals(Set.of(Aspect.MERGED, Aspect.PERMS), r.changes().get(0).aspects());
        assertReconstructs(split, real, r);
    }

    @Test
    void fileMappingSplitKeepsFileOffsetsAndIsNotAReplacement() {
        Snapshot real = RealSnapshots.self(false);
        Region victim = real.regions().stream()
                .filter(r -> r.mapping().path().isFile() && r.mapping().size() >= 2 * 4096)
                .findFirst().orElseThrow();
        Mapping m = victim.mapping();
        Region a = piece(victim, m.start(), m.start() + 4096, m.perms());
        Region b = piece(victim, m.start() + 4096, m.end(), Perms.of(m.perms().read(), m.perms().write(), !m.perms().exec(), m.perms().shared()));
        DiffResult d = SnapshotDiff.compare(real, replace(real, victim, List.of(a, b)));
        assertEquals(1, d.changes().size());
        assertEquals(Set.of(Aspect.SPLIT, Aspect.PERMS), d.changes().get(0).aspects());

        // The same range from another file offset is a different object: removed and added, not split.
        Region moved = new Region(new Mapping(m.start(), m.end(), m.perms(), m.offset() + 4096, m.devMajor(), m.devMinor(),
                m.inode(), m.path()), victim.kind(), victim.owner(), victim.sections(), victim.evidence(), null);
        DiffResult d2 = SnapshotDiff.compare(real, replace(real, victim, List.of(moved)));
        assertEquals(2, d2.changes().size());
        assertEquals(Set.of(Aspect.REMOVED), d2.changes().get(0).aspects().contains(Aspect.REMOVED)
                ? d2.changes().get(0).aspects() : d2.changes().get(1).aspects());
    }

    @Test
    void stackGrowsDownAndAnonymousMemoryGrowsUp() {
        Snapshot real = RealSnapshots.self(false);
        Region stack = real.regions().stream().filter(r -> r.mapping().path().type() == MappingPath.Type.STACK)
                .findFirst().orElseThrow();
        Mapping sm = stack.mapping();
        // The page below [stack] must be free in this process for the synthetic growth to be a real possibility.
        long newStart = sm.start() - 16 * 4096;
        assertTrue(real.regions().stream().noneMatch(r -> r.mapping().contains(newStart)));
        Region grownStack = piece(stack, newStart, sm.end(), sm.perms());
        Snapshot b = replace(real, stack, List.of(grownStack));
        DiffResult d = SnapshotDiff.compare(real, b);
        assertEquals(1, d.changes().size());
        assertEquals(Set.of(Aspect.GREW_DOWN), d.changes().get(0).aspects());
        assertEquals(16 * 4096, d.changes().get(0).sizeDelta());

        Region anyAnon = real.regions().stream().filter(r -> r.mapping().path().type() == MappingPath.Type.ANONYMOUS
                && r.mapping().perms().write()).findFirst().orElseThrow();
        Mapping am = anyAnon.mapping();
        Region shrunk = piece(anyAnon, am.start(), am.end() - 4096, am.perms());
        DiffResult d2 = SnapshotDiff.compare(real, replace(real, anyAnon, List.of(shrunk)));
        assertEquals(Set.of(Aspect.SHRANK_AT_TOP), d2.changes().get(0).aspects());
        DiffResult d3 = SnapshotDiff.compare(replace(real, anyAnon, List.of(shrunk)), real);
        assertEquals(Set.of(Aspect.GREW_UP), d3.changes().get(0).aspects());
    }

    @Test
    void byModuleMatchesTwoRunsUnderAslrAndReportsEachShift() {
        Snapshot a = RealSnapshots.self(false);
        long shift = 0x1000_0000L; // as if every base had been randomised 256 MiB higher
        List<Region> moved = new ArrayList<>();
        for (Region r : a.regions()) {
            if (r.mapping().path().type() == MappingPath.Type.VSYSCALL) {
                moved.add(r);
                continue;
            }
            moved.add(piece(r, r.mapping().start() + shift, r.mapping().end() + shift, r.mapping().perms(), true));
        }
        AslrBases ab = a.bases();
        AslrBases bb = new AslrBases(plus(ab.exeBase(), shift), plus(ab.heapStart(), shift), plus(ab.brk(), shift),
                plus(ab.stackTop(), shift), plus(ab.mmapBase(), shift), plus(ab.vdso(), shift), ab.randomizeVaSpace(),
                false);
        Snapshot b = new Snapshot(a.schemaVersion(), a.toolVersion(), a.takenAt(), a.host(), a.process(), moved,
                a.threads(), bb, a.kernel(), a.rollup());

        DiffResult byModule = SnapshotDiff.compare(a, b, DiffOptions.byModule());
        assertEquals(List.of(), byModule.changes(), "only addresses differ");
        assertFalse(byModule.modules().isEmpty());
        for (DiffResult.ModuleShift ms : byModule.modules()) {
            assertEquals(shift, ms.shift(), ms.module());
        }
        assertTrue(byModule.bases().stream().filter(x -> x.before() != null).allMatch(x -> x.delta() == shift));
        assertEquals(DiffOptions.Match.MODULE, byModule.match());

        DiffResult byAddress = SnapshotDiff.compare(a, b);
        assertFalse(byAddress.changes(Aspect.ADDED).isEmpty(), "by address, moved mappings are new ones");

        // Now one library segment is also one page shorter: found under module matching, at its top.
        Region lib = b.regions().stream().filter(r -> r.mapping().path().isFile() && !r.mapping().path().deleted()
                && r.mapping().perms().exec() && r.mapping().size() > 4096).findFirst().orElseThrow();
        Region libShort = piece(lib, lib.mapping().start(), lib.mapping().end() - 4096, lib.mapping().perms());
        DiffResult d = SnapshotDiff.compare(a, replace(b, lib, List.of(libShort)), DiffOptions.byModule());
        assertEquals(1, d.changes().size(), () -> d.changes().toString());
        assertEquals(Set.of(Aspect.SHRANK_AT_TOP), d.changes().get(0).aspects());
        assertEquals(shift, d.changes().get(0).shift());
        assertEquals(lib.mapping().path().name(), d.changes().get(0).label());
    }

    @Test
    void threadsStartedBetweenSnapshotsAreListed() throws Exception {
        Snapshot before = RealSnapshots.self(false);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            started.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "diff-probe");
        t.start();
        started.await();
        Snapshot after = RealSnapshots.self(false);
        done.countDown();
        t.join();
        DiffResult d = SnapshotDiff.compare(before, after);
        Map<Integer, String> comm = new HashMap<>();
        after.threads().forEach(x -> comm.put(x.tid(), x.comm()));
        assertTrue(d.process().threadsStarted().stream().anyMatch(tid -> "diff-probe".equals(comm.get(tid))),
                () -> "started: " + d.process().threadsStarted());
        assertTrue(d.process().sameProcess());
    }

    /** Applying the changes to the first snapshot's regions gives the second's: what timeline deltas rely on. */
    static void assertReconstructs(Snapshot a, Snapshot b, DiffResult d) {
        List<Region> regions = new ArrayList<>(a.regions());
        for (RegionChange c : d.changes()) {
            for (Region r : c.before()) {
                assertTrue(regions.remove(r));
            }
            regions.addAll(c.after());
        }
        regions.sort((x, y) -> Long.compareUnsigned(x.mapping().start(), y.mapping().start()));
        assertEquals(b.regions(), regions);
    }

    static Region piece(Region r, long start, long end, Perms perms) {
        return piece(r, start, end, perms, false);
    }

    /** A part of a real region (file offset adjusted like the kernel's split), without figures of its own. */
    static Region piece(Region r, long start, long end, Perms perms, boolean keepDetails) {
        Mapping m = r.mapping();
        long offset = m.path().isFile() ? m.offset() + (start - m.start()) : m.offset();
        if (keepDetails) {
            offset = m.offset();
        }
        Region p = new Region(new Mapping(start, end, perms, offset, m.devMajor(), m.devMinor(), m.inode(), m.path()),
                r.kind(), r.owner(), r.sections(), r.evidence(), r.tid());
        return keepDetails ? p.withSmaps(r.smaps()).withResidency(r.residency(), r.pages()) : p;
    }

    static Snapshot replace(Snapshot s, Region old, List<Region> with) {
        List<Region> regions = new ArrayList<>(s.regions());
        int i = regions.indexOf(old);
        regions.remove(i);
        regions.addAll(i, with);
        return new Snapshot(s.schemaVersion(), s.toolVersion(), s.takenAt(), s.host(), s.process(), regions, s.threads(),
                s.bases(), s.kernel(), s.rollup());
    }

    static Long plus(Long v, long d) {
        return v == null ? null : v + d;
    }
}
