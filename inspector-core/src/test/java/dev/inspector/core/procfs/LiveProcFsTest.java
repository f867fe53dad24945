package dev.inspector.core.procfs;

import dev.inspector.core.model.ProcessList;
import dev.inspector.core.NoSuchProcess;
import dev.inspector.core.ProcessGone;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.demo.SampleStep;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.procfs.parse.Auxv;
import dev.inspector.core.procfs.parse.AuxvParser;
import dev.inspector.core.procfs.parse.Stat;
import dev.inspector.core.procfs.parse.Syscall;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.Unprivileged;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Readers on the live /proc: the test JVM itself and a spawned {@code sleep}. */
@EnabledOnOs(OS.LINUX)
@LiveTest
class LiveProcFsTest {

    /** Page counts: summed per-VMA they equal the rollup exactly (no rounding on either side). */
    private static final String[] EXACT = {"Rss", "Anonymous", "Private_Clean", "Private_Dirty", "Shared_Clean",
            "Shared_Dirty", "Swap", "Locked", "AnonHugePages"};
    /**
     * Proportional figures: the kernel prints each VMA's Pss truncated to whole kB but accumulates the rollup at full
     * precision and truncates once (fs/proc/task_mmu.c, PSS_SHIFT), so rollup - sum lies in [0, records) kB.
     */
    private static final String[] PROPORTIONAL = {"Pss", "Pss_Dirty", "SwapPss"};

    private final ProcFs proc = ProcFs.system();
    private Process child;

    @AfterEach
    void killChild() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
            child.waitFor();
        }
    }

    private Target startSleep() throws IOException, InterruptedException {
        child = new ProcessBuilder("sleep", "30").start();
        int pid = (int) child.pid();
        ProcessFiles f = new ProcessFiles(proc, pid);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) { // until it has exec'd sleep and gone to sleep
            Stat s = f.stat();
            if ("sleep".equals(s.comm()) && s.state() == 'S') {
                return Target.open(proc, pid);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("sleep child did not settle");
    }

    private static final class Sums {
        final Map<String, Long> bytes = new LinkedHashMap<>();
        int records;
    }

    private static Sums sum(Target t) {
        Sums s = new Sums();
        t.smaps(r -> {
            s.records++;
            r.smaps().bytes().forEach((k, v) -> s.bytes.merge(k, v, Long::sum));
        });
        return s;
    }

    /**
     * Reads smaps, the rollup, and smaps again. Only when both smaps passes agree on a field can the rollup (taken
     * between them) be held to it; a busy process gets a few attempts to offer such a window.
     */
    private static void assertRollupMatchesSummedSmaps(Target t, int attempts) {
        Map<String, String> lastMismatch = new LinkedHashMap<>();
        List<String> pending = new ArrayList<>(List.of(EXACT));
        pending.addAll(List.of(PROPORTIONAL));
        for (int a = 0; a < attempts && !pending.isEmpty(); a++) {
            if (a > 0) {
                pause(); // let the processes that map the same libraries (builds running beside us) move on
            }
            Sums before = sum(t);
            Smaps rollup = t.smapsRollup();
            Sums after = sum(t);
            for (String key : new ArrayList<>(pending)) {
                Long b = before.bytes.get(key);
                Long c = after.bytes.get(key);
                if (b == null || !b.equals(c) || before.records != after.records) {
                    lastMismatch.put(key, "smaps changed during the window: " + b + " -> " + c);
                    continue;
                }
                long r = rollup.get(key);
                boolean ok = List.of(EXACT).contains(key) ? r == b
                        : r >= b && r - b < (long) before.records * 1024;
                if (ok) {
                    pending.remove(key);
                } else {
                    lastMismatch.put(key, "rollup " + r + " vs summed smaps " + b + " over " + before.records
                            + " records");
                }
            }
        }
        if (!pending.isEmpty()) {
            StringBuilder sb = new StringBuilder("rollup disagrees with summed smaps:");
            for (String k : pending) {
                sb.append(' ').append(k).append(": ").append(lastMismatch.get(k)).append(';');
            }
            fail(sb.toString());
        }
    }

    private static void pause() {
        try {
            Thread.sleep(25);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void sleepingChildRollupEqualsSummedSmaps() throws Exception {
        Target t = startSleep();
        // The exact page counts of a sleeping process do not move: the first window must already agree.
        Sums s = sum(t);
        Smaps rollup = t.smapsRollup();
        for (String key : new String[] {"Rss", "Anonymous", "Private_Dirty", "Swap", "Locked"}) {
            assertEquals(rollup.get(key), (long) s.bytes.get(key), key);
        }
        assertTrue(s.bytes.get("Rss") > 0);
        // Pss shifts whenever another process maps or unmaps the same libc pages: held to the window rule.
        assertRollupMatchesSummedSmaps(t, 40);
        assertEquals(t.maps().size(), s.records);
    }

    @Test
    void stoppedThreadedSampleRollupEqualsSummedSmaps() {
        // A multi-threaded process with malloc arenas, stopped at its STEP (SIGSTOP): nothing changes while we read.
        // (The test JVM itself is never quiet enough: GC and JIT threads keep touching memory.)
        try (SampleProgram s = dev.inspector.core.testing.Samples.start("typical", "3")) {
            s.awaitStep("ready");
            assertRollupMatchesSummedSmaps(Target.open(proc, s.pid()), 40);
        }
    }

    /**
     * A sample stopped at its ready step: task/, status, stat and the announced thread count agree, and every thread's
     * stack pointer (task/TID/syscall) lies in a mapping, a worker's in the mapping holding the local it announced.
     */
    @Test
    void stoppedSampleThreadsAgreeAcrossItsFiles() {
        try (SampleProgram s = dev.inspector.core.testing.Samples.start("typical", "3")) {
            SampleStep ready = s.awaitStep("ready");
            Target t = Target.open(proc, s.pid());
            List<Mapping> maps = t.maps();
            List<Integer> tids = t.taskIds();
            assertEquals(ready.number("threads") + 1, tids.size(), "the workers and the main thread");
            assertEquals(tids.size(), t.status().threads());
            assertEquals(tids.size(), t.stat().numThreads());
            Map<Long, Long> spByTid = new LinkedHashMap<>();
            for (int tid : tids) {
                Syscall sc = t.taskSyscall(tid);
                assertNotNull(sc, "task " + tid);
                assertFalse(sc.kind() == Syscall.Kind.RUNNING, "a stopped thread is not running: task " + tid);
                long sp = sc.stackPointer();
                assertTrue(maps.stream().anyMatch(m -> m.contains(sp)), "SP of " + tid + " lies in a mapping");
                spByTid.put((long) tid, sp);
            }
            Mapping stack = maps.stream().filter(m -> m.path().type() == MappingPath.Type.STACK).findFirst()
                    .orElseThrow();
            assertTrue(stack.contains(spByTid.get((long) s.pid())), "the main thread's SP is in [stack]");
            for (int i = 0; i < ready.number("threads"); i++) {
                long local = ready.addr("thread_stack." + i);
                long sp = spByTid.get(ready.number("tid." + i));
                Mapping m = maps.stream().filter(x -> x.contains(local)).findFirst().orElseThrow();
                assertTrue(m.contains(sp), "worker " + i + ": its SP and its stack local share " + m.toMapsLine());
            }
            assertEquals(maps, t.maps(), "the stopped sample's mappings did not change");
        }
    }

    @Test
    void killedChildIsProcessGone() throws Exception {
        Target t = startSleep();
        t.checkSame();
        assertFalse(t.maps().isEmpty());
        child.destroyForcibly();
        child.waitFor();
        assertThrows(ProcessGone.class, t::checkSame);
        assertThrows(ProcessGone.class, t::maps);
        assertThrows(ProcessGone.class, t::status);
        assertThrows(ProcessGone.class, () -> t.smaps(r -> { }));
    }

    @Test
    void nonexistentPidIsNoSuchProcess() throws IOException {
        // Not Files.readString: it reads a 0-size file one byte first, and a sysctl int read at offset 1 is EOF.
        int pidMax = Integer.parseInt(proc.readString(Path.of("/proc/sys/kernel/pid_max"), 0).trim());
        NoSuchProcess e = assertThrows(NoSuchProcess.class, () -> Target.open(proc, pidMax + 1));
        assertEquals(pidMax + 1, e.pid());
    }

    @Test
    void ownProcessFiles() {
        int pid = (int) ProcessHandle.current().pid();
        Target t = Target.open(proc, pid);
        List<Mapping> maps = t.maps();
        assertTrue(maps.stream().anyMatch(m -> m.path().type() == MappingPath.Type.STACK));
        assertEquals(ProcessHandle.current().info().command().orElseThrow(), t.exe().name());
        assertFalse(t.exe().deleted());
        List<Integer> tids = t.taskIds();
        assertTrue(tids.contains(pid) && tids.size() > 1, "a JVM has more than one thread");
        // Thread counts and stack pointers against maps are compared on a stopped sample (below): this JVM starts
        // and ends threads and maps their stacks between any two reads.
        assertEquals(pid, t.stat().pid());
        assertTrue(t.stat().numThreads() > 1);
        assertNotNull(t.limits().stack());
        assertEquals(ProcessHandle.current().info().arguments().orElseThrow().length + 1, t.cmdline().size());
        assertNull(t.taskStat(Integer.MAX_VALUE - 1)); // a thread that is not there, the process still is
    }

    /** The JVM's own auxv must contain the entries the kernel always writes on x86-64 (moved from the parser's test). */
    @Test
    void ownAuxvHasTheEntriesTheKernelAlwaysWrites() throws IOException {
        byte[] b = Files.readAllBytes(Path.of("/proc/self/auxv"));
        Auxv a = AuxvParser.parse(b, b.length, "/proc/self/auxv");
        for (long t : new long[] {Auxv.AT_PHDR, Auxv.AT_PAGESZ, Auxv.AT_BASE, Auxv.AT_ENTRY, Auxv.AT_RANDOM,
                Auxv.AT_EXECFN, Auxv.AT_HWCAP, Auxv.AT_SYSINFO_EHDR}) {
            assertNotNull(a.get(t), AuxvParser.name(t));
        }
        assertTrue(Long.bitCount(a.pageSize()) == 1);
    }

    @Test
    void deletedSuffixIsCheckedAgainstTheDisk(@TempDir Path tmp) throws IOException {
        Path literal = tmp.resolve("x (deleted)");
        Path spaces = tmp.resolve("  lead and trail  ");
        Path newline = tmp.resolve("new\nline");
        Path gone = tmp.resolve("gone");
        List<MappedByteBuffer> keep = new ArrayList<>();
        for (Path p : List.of(literal, spaces, newline, gone)) {
            try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                f.setLength(4096);
                keep.add(f.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, 4096));
            }
        }
        long goneInode = (Long) Files.getAttribute(gone, "unix:ino");
        Files.delete(gone);
        Target t = Target.open(proc, (int) ProcessHandle.current().pid());
        List<Mapping> maps = t.maps();
        assertEquals(MappingPath.file(literal.toString(), false), byInode(maps, literal));
        assertEquals(MappingPath.file(spaces.toString(), false), byInode(maps, spaces));
        assertEquals(MappingPath.file(newline.toString(), false), byInode(maps, newline));
        MappingPath g = maps.stream().filter(m -> m.inode() == goneInode).findFirst().orElseThrow().path();
        assertEquals(MappingPath.file(gone.toString(), true), g);
        assertEquals(4, keep.size());
    }

    private static MappingPath byInode(List<Mapping> maps, Path p) throws IOException {
        long ino = (Long) Files.getAttribute(p, "unix:ino");
        return maps.stream().filter(m -> m.inode() == ino).findFirst()
                .orElseThrow(() -> new AssertionError("no mapping of " + p)).path();
    }

    @Test
    void hostFactsOfThisMachine() throws IOException {
        HostInfo h = HostFacts.system().read(false, false, false, false);
        assertEquals(System.getProperty("os.version"), h.kernelRelease());
        Target self = Target.open(proc, (int) ProcessHandle.current().pid());
        long[] stackPageSize = {0};
        long[] highestEnd = {0};
        self.smaps(r -> {
            if (r.mapping().path().type() == MappingPath.Type.STACK) {
                stackPageSize[0] = r.smaps().get("KernelPageSize");
            }
            if (r.mapping().path().type() != MappingPath.Type.VSYSCALL
                    && Long.compareUnsigned(r.mapping().end(), highestEnd[0]) > 0) {
                highestEnd[0] = r.mapping().end();
            }
        });
        assertEquals(stackPageSize[0], h.pageSize(), "AT_PAGESZ equals the stack's KernelPageSize");
        assertTrue(Long.compareUnsigned(highestEnd[0], h.highestUserAddress()) <= 0);
        assertTrue(h.pagingLevels() == 4 || h.pagingLevels() == 5);
        assertTrue(h.randomizeVaSpace() >= 0 && h.randomizeVaSpace() <= 2);
        Path thp = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        if (Files.exists(thp)) {
            assertTrue(Files.readString(thp).contains("[" + h.thpMode() + "]"));
        } else {
            assertNull(h.thpMode());
        }
        String capEff = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("CapEff:")).findFirst().orElseThrow().substring(7).trim();
        assertEquals((Long.parseUnsignedLong(capEff, 16) & (1L << 21)) != 0, h.features().pfnsVisible());
        assertEquals(Files.isReadable(Path.of("/proc/kpageflags")), h.features().kpageflagsReadable());
    }

    @Test
    void processListSeesTheChildAndKernelThreads() throws Exception {
        Target t = startSleep();
        ProcessList l = ProcessScanner.scan(proc);
        ProcessList.Row row = l.rows().stream().filter(r -> r.pid() == t.pid()).findFirst().orElseThrow();
        assertEquals("sleep", row.comm());
        assertEquals(List.of("sleep", "30"), row.cmdline());
        assertEquals(t.stat().vsize(), row.vsz());
        assertEquals(t.files().countMappings(), row.mappings());
        assertTrue(row.pss() != null && row.pss() > 0);
        int myUid = t.status().uid().real();
        if (myUid == 0) {
            assertEquals("root", row.user());
        }
        for (ProcessList.Row r : l.rows()) {
            if (r.kernelThread()) {
                assertEquals(0, r.mappings());
                assertEquals(List.of(), r.cmdline());
            }
        }
        assertTrue(l.rows().size() > 1);
    }

    /**
     * AccessDenied from the real kernel: a second JVM, run as an ordinary user (uid 65534 through setpriv when we are
     * root, else as ourselves), reads /proc/1/maps, which the kernel guards with PTRACE_MODE_READ.
     */
    @Test
    void unprivilegedReaderGetsAccessDeniedNamingFileAndRemedy() throws Exception {
        Assumptions.assumeTrue(Unprivileged.prefix().isPresent(), Unprivileged::whyNot);
        int initUid = (Integer) Files.getAttribute(Path.of("/proc/1"), "unix:uid");
        Assumptions.assumeTrue(Unprivileged.root() || initUid != Unprivileged.uid(),
                "pid 1 belongs to this user: no process of another user to be refused");
        String cp = Unprivileged.classpath(ProcFs.class, AccessDeniedProbe.class);
        String java = ProcessHandle.current().info().command().orElseThrow();
        String out = runQuiet(Unprivileged.command(java, "-XX:-UsePerfData", "-cp", cp,
                AccessDeniedProbe.class.getName(), "1").toArray(String[]::new));
        assertTrue(out.startsWith("AccessDenied|"), out);
        assertTrue(out.contains("/proc/1/maps"), out);
        assertTrue(out.contains("PTRACE_MODE_READ"), out);
    }

    private static String runQuiet(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return out;
    }
}
