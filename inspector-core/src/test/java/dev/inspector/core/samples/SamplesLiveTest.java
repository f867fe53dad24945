package dev.inspector.core.samples;

import dev.inspector.core.demo.ProgramRun;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.demo.SampleStep;
import dev.inspector.core.demo.SampleStep.Range;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.Samples;
import dev.inspector.core.testing.ZeroPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the native samples and checks that each one produces, in the kernel's own reports, what its STEP line announces.
 * The expectations come from what the samples did (the sizes and counts they were given or announced), never from
 * addresses seen on one machine.
 */
@EnabledOnOs(OS.LINUX)
@LiveTest
class SamplesLiveTest {

    private static final Duration RUN = Duration.ofSeconds(60);

    @Test
    void manyVmasShowsEveryMappingAndAwkwardName() throws IOException {
        int n = 2000;
        Path tempDir;
        try (SampleProgram s = Samples.start("many_vmas", Integer.toString(n))) {
            SampleStep ready = s.awaitStep("ready");
            assertEquals(n, ready.number("bulk"));
            List<Mapping> maps = ProcFs.system().maps(s.pid());
            assertTrue(maps.size() >= ready.number("count"),
                    "maps has " + maps.size() + " lines, the sample created " + ready.number("count"));

            // One unmapped page on each side of the bulk: exactly n lines inside it, alternating rw-p / r--p.
            Range bulk = ready.range("bulk");
            List<Mapping> inBulk = maps.stream().filter(m -> within(m, bulk)).collect(Collectors.toList());
            assertEquals(n, inBulk.size(), "maps lines inside range.bulk");
            for (int i = 0; i < inBulk.size(); i++) {
                Mapping m = inBulk.get(i);
                assertEquals(4096, m.size(), m.toMapsLine());
                assertEquals(i % 2 == 0, m.perms().write(), m.toMapsLine());
            }

            Mapping spaced = exactly(maps, ready.range("spaced_file"));
            assertEquals(MappingPath.Type.FILE, spaced.path().type());
            assertFalse(spaced.path().deleted());
            Path spacedPath = Paths.get(spaced.path().name());
            assertEquals("file with spaces.dat", spacedPath.getFileName().toString());
            assertTrue(spacedPath.getParent().getFileName().toString().startsWith("inspector samples "),
                    spaced.toMapsLine());
            assertTrue(Files.isRegularFile(spacedPath), "the mapped file exists while the sample runs");
            tempDir = spacedPath.getParent();

            Mapping deleted = exactly(maps, ready.range("deleted_file"));
            assertTrue(deleted.path().deleted(), deleted.toMapsLine());
            assertEquals(tempDir.resolve("deleted file.dat").toString(), deleted.path().name());

            Mapping memfd = exactly(maps, ready.range("memfd"));
            assertTrue(memfd.path().isMemfd(), memfd.toMapsLine());
            assertEquals("/memfd:inspector memfd", memfd.path().name());
            assertTrue(memfd.perms().shared());

            Mapping shared = exactly(maps, ready.range("shared_anon"));
            assertEquals(MappingPath.file("/dev/zero", true), shared.path());
            assertTrue(shared.perms().shared());

            Mapping named = exactly(maps, ready.range("named_anon"));
            if (ready.value("anon_name").equals("ok")) {
                assertEquals(new MappingPath(MappingPath.Type.ANON_NAMED, "inspector named", false), named.path());
            } else {
                // Kernel without CONFIG_ANON_VMA_NAME: prctl fails and the region stays unnamed.
                assertEquals("EINVAL", ready.value("anon_name"));
                assertEquals(MappingPath.ANONYMOUS, named.path());
            }
            Mapping namedShmem = exactly(maps, ready.range("named_shmem"));
            if (ready.value("shmem_name").equals("ok")) {
                assertEquals(new MappingPath(MappingPath.Type.SHMEM_NAMED, "inspector shmem", false),
                        namedShmem.path());
            } else {
                assertEquals(MappingPath.file("/dev/zero", true), namedShmem.path());
            }

            s.cont();
            s.awaitStep("done");
            s.cont();
            assertEquals(0, s.awaitExit(RUN), s.stderr());
        }
        assertFalse(Files.exists(tempDir), "many_vmas removes its temp directory at exit: " + tempDir);
    }

    @Test
    void manyVmasCleansUpWhenTerminatedWhileStopped() {
        Path tempDir;
        try (SampleProgram s = Samples.start("many_vmas", "10")) {
            SampleStep ready = s.awaitStep("ready");
            Mapping spaced = exactly(ProcFs.system().maps(s.pid()), ready.range("spaced_file"));
            tempDir = Paths.get(spaced.path().name()).getParent();
            assertTrue(Files.isDirectory(tempDir));
        } // close(): SIGTERM, SIGCONT
        assertFalse(Files.exists(tempDir), "SIGTERM runs the cleanup: " + tempDir);
    }

    @Test
    void manyVmasRefusesMoreMappingsThanTheKernelAllows() throws IOException {
        long max = Long.parseLong(Samples.readProcFile(Paths.get("/proc/sys/vm/max_map_count")).trim());
        ProgramRun r = Samples.run(RUN, "many_vmas", Long.toString(max));
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.stderr().contains("vm.max_map_count=" + max), r.toString());
        assertTrue(r.stdout().isEmpty(), r.toString());
    }

    @Test
    void typicalHasThreadsArenasAndAMmappedChunk() throws IOException {
        int threads = 3;
        // glibc gives each new thread its own arena unless MALLOC_ARENA_MAX caps them.
        try (SampleProgram s = Samples.start(Samples.env("MALLOC_ARENA_MAX", null), "typical",
                Integer.toString(threads))) {
            SampleStep ready = s.awaitStep("ready");
            assertEquals(threads, ready.number("threads"));
            int pid = s.pid();

            String status = Samples.readProcFile(Paths.get("/proc", Integer.toString(pid), "status"));
            assertEquals(1 + threads, statusNumber(status, "Threads:"));
            Set<Integer> tids = new HashSet<>();
            try (var dir = Files.list(Paths.get("/proc", Integer.toString(pid), "task"))) {
                dir.forEach(p -> tids.add(Integer.parseInt(p.getFileName().toString())));
            }
            Set<Integer> announced = new HashSet<>();
            announced.add(pid);
            for (int i = 0; i < threads; i++) {
                announced.add((int) ready.number("tid." + i));
            }
            assertEquals(announced, tids);

            List<Mapping> maps = ProcFs.system().maps(pid);
            assertEquals(MappingPath.Type.HEAP, at(maps, ready.addr("heap_chunk")).path().type());
            Mapping big = at(maps, ready.addr("big_chunk"));
            assertEquals(MappingPath.Type.ANONYMOUS, big.path().type(), big.toMapsLine());
            assertTrue(big.size() >= 4 << 20, big.toMapsLine());
            for (int i = 0; i < threads; i++) {
                Mapping arena = at(maps, ready.addr("thread_chunk." + i));
                assertEquals(MappingPath.Type.ANONYMOUS, arena.path().type(), "thread " + i + ": " + arena.toMapsLine());
                Mapping tls = at(maps, ready.addr("thread_local." + i));
                Mapping stack = at(maps, ready.addr("thread_stack." + i));
                // glibc puts static TLS at the top of the thread's own stack mapping.
                assertEquals(stack, tls, "thread " + i);
                assertEquals(MappingPath.Type.ANONYMOUS, stack.path().type(), stack.toMapsLine());
                assertNotEquals(arena, stack);
            }

            s.cont();
            s.awaitStep("done");
            s.cont();
            assertEquals(0, s.awaitExit(RUN), s.stderr());
        }
    }

    @Test
    void batchModeHoldsUntilStdinCloses() throws InterruptedException {
        try (SampleProgram s = Samples.start(Samples.env("SAMPLE_NOPAUSE", "1", "SAMPLE_HOLD", "1"), "typical",
                "1")) {
            SampleStep ready = s.awaitStep("ready");
            assertEquals(1, ready.number("threads"));
            // Not stopped, and still there a while later: it is blocked reading stdin.
            Thread.sleep(200);
            char state = Samples.state(s.pid());
            assertTrue(state == 'S', "state " + state);
            assertEquals(List.of(ready.line()), s.stdoutLines(), "no 'done' before the hold is released");
            s.releaseHold();
            s.awaitStep("done");
            assertEquals(0, s.awaitExit(RUN), s.stderr());
        }
    }

    @Test
    void sparseBigReferenceReadersAgree() {
        // 64 MiB sparse (every 16th page written), 16 MiB dense, 8 MiB read-only (zero page).
        try (SampleProgram s = Samples.start("sparse_big", "64", "16", "8")) {
            SampleStep ready = s.awaitStep("ready");
            String pid = Integer.toString(s.pid());
            long pageSize = ready.number("page_size");

            ProgramRun pread = Samples.run(RUN, "pagemap_pread_ref", pid);
            ProgramRun scan = Samples.run(RUN, "pagemap_scan_ref", pid);
            assertEquals(0, pread.exitCode(), pread.toString());
            assertEquals(0, scan.exitCode(), scan.toString());
            for (String key : List.of("pages", "present", "swapped", "file", "vmas")) {
                assertEquals(pread.number(key), scan.number(key), key + ":\n" + pread + "\n" + scan);
            }
            if (pread.number("zero") >= 0) { // -1 without CAP_SYS_ADMIN: PFNs read as 0
                assertEquals(pread.number("zero"), scan.number("zero"), pread + "\n" + scan);
            }
            assertEquals(-1, pread.number("huge"), "pread counts huge pages only with -k");

            Range sparse = ready.range("sparse");
            assertRange(pid, sparse, sparse.size() / pageSize, ready.number("sparse_touched"), 0);
            Range dense = ready.range("dense");
            assertRange(pid, dense, dense.size() / pageSize, ready.number("dense_touched"), 0);
            Range zero = ready.range("zero");
            assertRange(pid, zero, zero.size() / pageSize, ready.number("zero_read"),
                    ZeroPage.expected(ready.number("zero_read")));
            assertEquals(16, ready.number("stride_pages"));
            assertEquals(sparse.size() / pageSize / 16, ready.number("sparse_touched"));

            long all = scan.number("present");
            assertTrue(all >= ready.number("sparse_touched") + ready.number("dense_touched")
                    + ready.number("zero_read"), scan.toString());
        }
    }

    @Test
    void referenceReadersFailClearlyOnAMissingProcess() throws IOException {
        int missing = Integer.parseInt(Samples.readProcFile(Paths.get("/proc/sys/kernel/pid_max")).trim()) + 1;
        for (String reader : List.of("pagemap_pread_ref", "pagemap_scan_ref")) {
            ProgramRun r = Samples.run(RUN, reader, Integer.toString(missing));
            assertEquals(1, r.exitCode(), r.toString());
            assertTrue(r.stderr().contains("/proc/" + missing + "/") && r.stderr().contains("ENOENT"), r.toString());
        }
    }

    /** Both readers restricted to one range: the page counts the sample announced, with no huge pages (NOHUGEPAGE). */
    private static void assertRange(String pid, Range range, long pages, long present, long zero) {
        ProgramRun pread = Samples.run(RUN, "pagemap_pread_ref", pid, range.toArg());
        ProgramRun scan = Samples.run(RUN, "pagemap_scan_ref", pid, range.toArg());
        for (ProgramRun r : List.of(pread, scan)) {
            assertEquals(0, r.exitCode(), r.toString());
            assertEquals(pages, r.number("pages"), r.toString());
            assertEquals(present, r.number("present"), r.toString());
            assertEquals(0, r.number("swapped"), r.toString());
            assertEquals(0, r.number("file"), r.toString());
        }
        assertEquals(zero, scan.number("zero"), scan.toString());
        assertEquals(0, scan.number("huge"), scan.toString());
        if (pread.number("zero") >= 0) {
            assertEquals(zero, pread.number("zero"), pread.toString());
        }
    }

    private static boolean within(Mapping m, Range r) {
        return Long.compareUnsigned(m.start(), r.lo()) >= 0 && Long.compareUnsigned(m.end(), r.hi()) <= 0;
    }

    /** The mapping that spans exactly the announced range (special mappings never merge with a neighbour). */
    private static Mapping exactly(List<Mapping> maps, Range r) {
        Mapping m = at(maps, r.lo());
        assertEquals(r.hi(), m.end(), "mapping at 0x" + Long.toHexString(r.lo()) + ": " + m.toMapsLine());
        assertEquals(r.lo(), m.start(), m.toMapsLine());
        return m;
    }

    private static Mapping at(List<Mapping> maps, long addr) {
        return maps.stream().filter(m -> m.contains(addr)).findFirst()
                .orElseThrow(() -> new AssertionError("no mapping contains 0x" + Long.toHexString(addr)));
    }

    private static long statusNumber(String status, String key) {
        return status.lines().filter(l -> l.startsWith(key)).findFirst()
                .map(l -> Long.parseLong(l.substring(key.length()).trim()))
                .orElseThrow(() -> new AssertionError("no " + key + " in status"));
    }
}
