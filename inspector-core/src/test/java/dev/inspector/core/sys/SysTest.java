package dev.inspector.core.sys;

import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.testing.Live;
import dev.inspector.core.NativeCallFailed;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnabledOnOs(OS.LINUX)
@LiveTest
class SysTest {

    private static final int PID = (int) ProcessHandle.current().pid();
    private static final String MAPS = "/proc/" + PID + "/maps";
    private static final int PAGE = Sys.pageSize();

    @Test
    void errnoIsNamedNotNumbered() {
        NativeCallFailed e = assertThrows(NativeCallFailed.class, () -> Sys.munmap(0x1001, PAGE));
        assertEquals("munmap", e.call());
        assertEquals("EINVAL", e.errnoName());
        assertEquals(22, e.errno());
        assertTrue(e.getMessage().startsWith("munmap failed: EINVAL"), e.getMessage());
        assertEquals("EACCES", Errno.name(13));
        assertEquals("Permission denied", Errno.describe(13));
        assertEquals("errno 9999", Errno.name(9999));
        assertEquals(2, Errno.number("ENOENT"));
    }

    @Test
    void mmapMprotectMadviseShowInMaps() {
        long a = Sys.mmap(3L * PAGE, Sys.PROT_READ | Sys.PROT_WRITE, Sys.MAP_PRIVATE);
        try {
            Sys.poke(a + PAGE, (byte) 42);
            assertEquals(42, Sys.peek(a + PAGE));
            Sys.mprotect(a + PAGE, PAGE, Sys.PROT_READ);
            Mapping mid = covering(a + PAGE);
            assertEquals(a + PAGE, mid.start());
            assertEquals("r--p", mid.perms().toString());
            byte[] core = Sys.mincore(a, 3L * PAGE);
            assertEquals(3, core.length);
            assertEquals(1, core[1] & 1);
            assertEquals(0, core[0] & 1);
            Sys.madvise(a + PAGE, PAGE, Sys.MADV_DONTNEED);
            assertEquals(0, Sys.mincore(a + PAGE, PAGE)[0] & 1);
            assertEquals(0, Sys.peek(a + PAGE), "MADV_DONTNEED on private anonymous memory zero-fills");
        } finally {
            Sys.munmap(a, 3L * PAGE);
        }
    }

    /**
     * brk(0) is the break the kernel shows: at or above start_brk (stat field 47, fixed at exec), and the end of [heap].
     * Another JVM thread's malloc may move the break at any time, so [heap] is compared only with a maps read taken
     * between two equal brk(0) results.
     */
    @Test
    void brkZeroReportsTheBreakTheKernelShowsInStat() throws Exception {
        String stat = Files.readString(Paths.get("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long startBrk = Long.parseLong(f[47 - 3]);
        for (int attempt = 0; attempt < 20; attempt++) {
            long brk = Sys.currentBreak();
            List<Mapping> maps = ProcFs.system().maps(PID);
            if (Sys.currentBreak() != brk) {
                continue; // moved while maps was read: that read proves nothing
            }
            assertTrue(Long.compareUnsigned(brk, startBrk) >= 0);
            for (Mapping m : maps) {
                if (m.path().type() == MappingPath.Type.HEAP) {
                    assertEquals((brk + PAGE - 1) / PAGE * PAGE, m.end());
                }
            }
            return;
        }
        throw new AssertionError("the break moved during each of 20 maps reads");
    }

    @Test
    void personalityQueryMatchesProc() throws Exception {
        int p = Sys.currentPersonality();
        String text = Files.readString(Paths.get("/proc/self/personality")).trim();
        assertEquals(Integer.parseUnsignedInt(text, 16), p);
    }

    @Test
    void processVmReadvReadsOurOwnMemory() {
        long a = Sys.mmap(PAGE, Sys.PROT_READ | Sys.PROT_WRITE, Sys.MAP_PRIVATE);
        try {
            for (int i = 0; i < 4; i++) {
                Sys.poke(a + i, (byte) (i + 1));
            }
            byte[] out = new byte[4];
            assertEquals(4, Sys.processVmRead(PID, a, out));
            assertArrayEquals(new byte[] {1, 2, 3, 4}, out);
            NativeCallFailed e = assertThrows(NativeCallFailed.class, () -> Sys.processVmRead(PID, 0x1000, out));
            assertEquals("EFAULT", e.errnoName());
        } finally {
            Sys.munmap(a, PAGE);
        }
    }

    @Test
    void anonNamesFollowTheKernelFeature() {
        long a = Sys.mmap(PAGE, Sys.PROT_READ | Sys.PROT_WRITE, Sys.MAP_PRIVATE);
        try {
            if (Live.features().anonVmaName().available()) {
                Sys.nameAnon(a, PAGE, "lab");
                Mapping m = covering(a);
                assertEquals(MappingPath.Type.ANON_NAMED, m.path().type());
                assertEquals("lab", m.path().name());
            } else {
                NativeCallFailed e = assertThrows(NativeCallFailed.class, () -> Sys.nameAnon(a, PAGE, "lab"));
                assertEquals("EINVAL", e.errnoName());
            }
        } finally {
            Sys.munmap(a, PAGE);
        }
    }

    /** PROCMAP_QUERY on a region this test mapped and split in its own process. */
    @Test
    void procmapQueryFindsWhatThisTestMapped() {
        KernelFeatures k = Live.features();
        org.junit.jupiter.api.Assumptions.assumeTrue(k.procmapQuery().available(), k.procmapQuery().reason());
        long a = Sys.mmap(2L * PAGE, Sys.PROT_READ | Sys.PROT_WRITE, Sys.MAP_PRIVATE);
        try {
            Sys.mprotect(a + PAGE, PAGE, Sys.PROT_READ);
            ProcmapQuery.Vma v = ProcmapQuery.lookup(MAPS, a + PAGE + 10).orElseThrow();
            assertEquals(a + PAGE, v.mapping().start());
            assertEquals(a + 2L * PAGE, v.mapping().end());
            assertEquals("r--p", v.mapping().perms().toString());
            assertEquals(PAGE, v.pageSize());
        } finally {
            Sys.munmap(a, 2L * PAGE);
        }
    }

    /**
     * A whole PROCMAP_QUERY walk equals the maps text, line for line, on a sample stopped at its ready step (two reads
     * of a target that cannot change between them; this used to compare two reads of this JVM, file mappings only).
     */
    @Test
    void procmapQueryWalkEqualsTheMapsTextOfAStoppedSample() {
        KernelFeatures k = Live.features();
        org.junit.jupiter.api.Assumptions.assumeTrue(k.procmapQuery().available(), k.procmapQuery().reason());
        try (SampleProgram s = Samples.start("typical")) {
            s.awaitStep("ready");
            String maps = "/proc/" + s.pid() + "/maps";
            List<Mapping> text = ProcFs.system().maps(s.pid());
            List<ProcmapQuery.Vma> walk = ProcmapQuery.walk(maps);
            List<Mapping> textVmas = text.stream().filter(m -> m.path().type() != MappingPath.Type.VSYSCALL).toList();
            assertEquals(textVmas, walk.stream().map(ProcmapQuery.Vma::mapping).toList());
            assertEquals(text.size() - 1, textVmas.size(), "[vsyscall] is the gate area, not a VMA");
            // Covering-or-next from address 0 (never mapped) returns the lowest mapping.
            assertEquals(text.get(0).start(), ProcmapQuery.lookup(maps, 0).orElseThrow().mapping().start());
            // libc is an ELF file with a GNU build ID note.
            ProcmapQuery.Vma libc = walk.stream().filter(x -> x.mapping().path().name().endsWith("/libc.so.6"))
                    .findFirst().orElseThrow();
            assertEquals(20, libc.buildId().length, "a SHA-1 build ID: " + libc.buildIdHex());
            assertEquals(text, ProcFs.system().maps(s.pid()), "the stopped sample's mappings did not change");
        }
    }

    private static Mapping covering(long addr) {
        for (Mapping m : ProcFs.system().maps(PID)) {
            if (m.contains(addr)) {
                return m;
            }
        }
        throw new AssertionError("no mapping covers 0x" + Long.toHexString(addr));
    }

    @Test
    void aChildStartedWithAPersonaCarriesItAndTheThreadGetsItsOwnBack() throws Exception {
        int before = Sys.currentPersonality();
        Process p = Sys.withPersonality(Sys.ADDR_NO_RANDOMIZE, () -> {
            try {
                return new ProcessBuilder("sleep", "5").start();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            java.nio.file.Path exe = Paths.get("/proc", Long.toString(p.pid()), "exe");
            for (int i = 0; i < 500 && !Files.readSymbolicLink(exe).toString().endsWith("sleep"); i++) {
                Thread.sleep(5);
            }
            String persona = new String(Files.readAllBytes(Paths.get("/proc", Long.toString(p.pid()),
                    "personality"))).strip();
            assertEquals(Sys.ADDR_NO_RANDOMIZE, Integer.parseInt(persona, 16) & Sys.ADDR_NO_RANDOMIZE,
                    "the exec'd child's persona: " + persona);
            // Without a wrapper program: the child runs sleep itself, no setarch in between.
            assertTrue(Files.readSymbolicLink(exe).toString().endsWith("sleep"));
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
        assertEquals(before, Sys.currentPersonality(), "the calling thread's persona is restored");
    }
}
