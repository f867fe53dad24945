package dev.inspector.core.analysis;

import dev.inspector.core.elf.ElfCache;
import dev.inspector.core.elf.MappedElf;
import dev.inspector.core.elf.Tools;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The classifier on real processes: this test JVM, and a small threaded C program the test compiles. */
@EnabledOnOs(OS.LINUX)
@LiveTest
class ClassifierLiveTest {

    @TempDir
    Path tmp;

    private static ClassifierInput input(int pid, ElfCache cache) throws Exception {
        List<Mapping> maps = ProcFs.system().maps(pid);
        String exe = LiveProc.exe(pid);
        return new ClassifierInput(maps, exe, new MappedElf(ProcFs.system().pidDir(pid), exe, cache),
                LiveProc.stackPointers(pid),
                pid, LiveProc.startBrk(pid), LiveProc.startStack(pid), LiveProc.pageSize(pid));
    }

    @Test
    void classifiesThisJvm() throws Exception {
        int pid = (int) ProcessHandle.current().pid();
        // A thread of our own that is surely blocked while we look, so at least one SP is known.
        CountDownLatch release = new CountDownLatch(1);
        Thread parked = new Thread(() -> {
            try {
                release.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "classifier-test-parked");
        parked.start();
        try {
            Thread.sleep(50);
            ElfCache cache = new ElfCache();
            ClassifierInput in = input(pid, cache);
            List<Region> regions = Classifier.classify(in);
            checkCommon(in, regions);

            Region jvmText = regions.stream().filter(r -> r.kind() == RegionKind.TEXT && r.owner() != null
                    && r.owner().endsWith("/libjvm.so")).findFirst().orElseThrow(() -> new AssertionError(
                    "no TEXT region of libjvm.so"));
            assertTrue(jvmText.sections().contains(".text"), jvmText.sections().toString());
            assertTrue(jvmText.mapping().perms().exec());
            assertKind(regions, MappingPath.Type.HEAP, RegionKind.HEAP);
            assertKind(regions, MappingPath.Type.STACK, RegionKind.STACK);
            assertTrue(regions.stream().anyMatch(r -> r.kind() == RegionKind.THREAD_STACK), "a THREAD_STACK");
            // HotSpot's stack guard zones (and glibc's guard page) are PROT_NONE lines right below thread stacks.
            assertTrue(regions.stream().anyMatch(r -> r.kind() == RegionKind.GUARD), "a GUARD");
            // Each file is parsed once however many mappings it has.
            long distinctFiles = in.mappings().stream().filter(m -> m.path().isFile())
                    .map(m -> m.device() + "/" + m.inode()).distinct().count();
            assertTrue(cache.parses() <= distinctFiles, cache.parses() + " parses for " + distinctFiles + " files");
        } finally {
            release.countDown();
            parked.join();
        }
    }

    static final String THREADED = """
            #include <pthread.h>
            #include <stdio.h>
            #include <stdlib.h>
            #include <unistd.h>
            static char g_bss[1 << 20];
            int g_data = 7;
            static pthread_barrier_t bar;
            static void *worker(void *a) {
                void *volatile p = malloc(1000);
                (void) p; (void) a;
                pthread_barrier_wait(&bar);
                pause();
                return 0;
            }
            int main(void) {
                pthread_t t;
                g_bss[0] = 1;
                pthread_barrier_init(&bar, 0, 2);
                pthread_create(&t, 0, worker, 0);
                pthread_barrier_wait(&bar);
                printf("ready\\n");
                fflush(stdout);
                char c;
                return (int) read(0, &c, 1) + g_data;
            }
            """;

    @Test
    void classifiesACompiledThreadedProgram() throws Exception {
        Path bin = Tools.gcc(tmp, "threaded", THREADED, "-pthread").orElse(null);
        assumeTrue(bin != null, "gcc not available");
        Process p = new ProcessBuilder(bin.toString()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
            assertEquals("ready", out.readLine());
            int pid = (int) p.pid();
            // Wait until both threads sit in their blocking calls, so task/TID/syscall has their SPs.
            Map<Integer, Long> sps = Map.of();
            for (int i = 0; i < 200 && sps.size() < 2; i++) {
                sps = LiveProc.stackPointers(pid);
                if (sps.size() < 2) {
                    Thread.sleep(10);
                }
            }
            assertEquals(2, sps.size(), "both threads blocked: " + sps);
            ClassifierInput in = input(pid, new ElfCache());
            List<Region> regions = Classifier.classify(in);
            checkCommon(in, regions);
            String exe = bin.toRealPath().toString();
            assertEquals(exe, in.exePath());

            List<Region> exeRegions = regions.stream().filter(r -> exe.equals(r.owner())).toList();
            List<RegionKind> exeKinds = exeRegions.stream().map(Region::kind).toList();
            // gcc 12 / binutils with -z separate-code and RELRO: the layout claims.md N1 shows.
            assertEquals(List.of(RegionKind.ELF_HEADER, RegionKind.TEXT, RegionKind.RODATA, RegionKind.RELRO,
                    RegionKind.DATA, RegionKind.BSS), exeKinds, exeRegions.toString());
            assertTrue(exeRegions.get(1).sections().contains(".text"));
            assertTrue(exeRegions.get(2).sections().contains(".rodata"));
            assertTrue(exeRegions.get(3).sections().contains(".got") || exeRegions.get(3).sections()
                    .contains(".dynamic"), exeRegions.get(3).sections().toString());
            assertTrue(exeRegions.get(4).sections().containsAll(List.of(".data", ".bss")),
                    "the data page holds .data and the start of .bss: " + exeRegions.get(4).sections());
            Region bss = exeRegions.get(5);
            assertEquals(List.of(".bss"), bss.sections());
            assertEquals(MappingPath.Type.ANONYMOUS, bss.mapping().path().type());
            assertEquals(bss.mapping().start(), exeRegions.get(4).mapping().end(), "BSS follows the data page");

            Region libcText = regions.stream().filter(r -> r.kind() == RegionKind.TEXT && r.owner() != null
                    && r.owner().contains("libc.so")).findFirst().orElseThrow();
            assertTrue(libcText.sections().contains(".text"));
            assertTrue(regions.stream().anyMatch(r -> r.kind() == RegionKind.BSS && r.owner() != null
                    && r.owner().contains("libc.so")), "libc has an anonymous .bss line");

            assertKind(regions, MappingPath.Type.HEAP, RegionKind.HEAP);
            Region stack = assertKind(regions, MappingPath.Type.STACK, RegionKind.STACK);
            assertEquals(pid, stack.tid());
            assertTrue(stack.mapping().contains(sps.get(pid)), "main SP in [stack]");

            int worker = sps.keySet().stream().filter(t -> t != pid).findFirst().orElseThrow();
            Region ts = regions.stream().filter(r -> r.kind() == RegionKind.THREAD_STACK).findFirst().orElseThrow();
            assertEquals(worker, ts.tid());
            assertTrue(ts.mapping().contains(sps.get(worker)));
            int i = regions.indexOf(ts);
            Region guard = regions.get(i - 1);
            assertEquals(RegionKind.GUARD, guard.kind(), "glibc's guard page below the thread stack");
            assertEquals(worker, guard.tid());
            assertEquals(ts.mapping().start(), guard.mapping().end());
            assertTrue(guard.mapping().perms().none());

            // The worker's malloc made a glibc arena: a 64 MiB-aligned rw-p + ---p pair.
            List<Region> arena = regions.stream().filter(r -> r.kind() == RegionKind.MALLOC_ARENA).toList();
            assertEquals(2, arena.size(), arena.toString());
            assertEquals(0, arena.get(0).mapping().start() % Classifier.ARENA_RESERVATION);
            assertEquals(Classifier.ARENA_RESERVATION, arena.get(1).mapping().end() - arena.get(0).mapping().start());
        } finally {
            p.getOutputStream().close();
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static Region assertKind(List<Region> regions, MappingPath.Type type, RegionKind kind) {
        Region r = regions.stream().filter(x -> x.mapping().path().type() == type).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " line"));
        assertEquals(kind, r.kind(), r.evidence());
        return r;
    }

    /** Properties every classification of a live process must have. */
    private static void checkCommon(ClassifierInput in, List<Region> regions) {
        assertEquals(in.mappings().size(), regions.size());
        for (int i = 0; i < regions.size(); i++) {
            Region r = regions.get(i);
            assertEquals(in.mappings().get(i), r.mapping(), "same order");
            assertNotNull(r.kind());
            assertFalse(r.evidence() == null || r.evidence().isBlank(), "evidence for " + r.mapping());
            // The classifier's own words are one line; a mapped file's name may hold a newline of its own (another
            // test of this JVM maps "new\nline" and the mapping lasts until its buffer is collected).
            assertFalse(r.evidence().replace(r.mapping().path().name(), "").contains("\n"), "one line: "
                    + r.evidence());
            if (r.kind() == RegionKind.THREAD_STACK) {
                Long sp = in.threadStackPointers().get(r.tid());
                assertNotNull(sp, "THREAD_STACK tid has an SP");
                assertTrue(r.mapping().contains(sp), "SP 0x" + Long.toHexString(sp) + " inside " + r.mapping());
            }
            if (r.kind() == RegionKind.GUARD) {
                Region above = regions.get(i + 1);
                assertEquals(r.mapping().end(), above.mapping().start(), "guard directly below");
                assertTrue(above.kind() == RegionKind.THREAD_STACK || above.kind() == RegionKind.STACK);
                assertEquals(above.tid(), r.tid());
                assertTrue(r.mapping().perms().none());
            }
            if (r.kind() == RegionKind.TEXT) {
                assertTrue(r.mapping().perms().exec());
                assertNotNull(r.owner());
            }
        }
    }
}
