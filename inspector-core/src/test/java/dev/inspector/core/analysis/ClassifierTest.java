package dev.inspector.core.analysis;

import dev.inspector.core.BadInput;
import dev.inspector.core.elf.ElfFile;
import dev.inspector.core.elf.ElfLookup;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.procfs.parse.MapsParser;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules that need no ELF headers, on maps text shaped like what this kernel prints (claims.md C06, C14, C18 and
 * the vdso lines): each region's kind, tid and evidence.
 */
class ClassifierTest {

    // Lines as Linux 6.18 writes them (see claims.md): thread stack + guard, a glibc arena pair, shared memory kinds.
    static final String MAPS = """
            5600aa000000-5600aa021000 rw-p 00000000 00:00 0                          [heap]
            7f3a60000000-7f3a60021000 rw-p 00000000 00:00 0
            7f3a60021000-7f3a64000000 ---p 00000000 00:00 0
            7f3a64800000-7f3a64a00000 rw-p 00000000 00:00 0
            7f3a64a00000-7f3a68000000 ---p 00000000 00:00 0
            7f3a70000000-7f3a70100000 ---p 00000000 00:00 0
            7ff600831000-7ff600832000 ---p 00000000 00:00 0
            7ff600832000-7ff601032000 rw-p 00000000 00:00 0
            7ff601100000-7ff601101000 rw-s 00000000 00:01 1234                       /memfd:demo (deleted)
            7ff601101000-7ff601102000 rw-s 00000000 00:01 5678                       /dev/zero (deleted)
            7ff601102000-7ff601103000 rw-s 00000000 00:01 9                          /SYSV0000abcd
            7ff601103000-7ff601104000 rw-s 00000000 00:01 10                         [anon_shmem:ring]
            7ff601104000-7ff601105000 rw-p 00000000 00:00 0                          [anon:jit cache]
            7ff601105000-7ff601106000 rw-s 00000000 00:0e 33                         /dev/dri/card0
            7ff601106000-7ff601107000 rw-s 00000000 00:0f 44                         anon_inode:[perf_event]
            7ff601107000-7ff601108000 r--p 00000000 fe:00 55                         /usr/share/fonts/a.ttf
            7ff601108000-7ff601109000 r--p 00000000 fe:00 56                         /usr/lib/old.so (deleted)
            7ff601109000-7ff60110a000 rw-s 00000000 00:19 57                         /dev/shm/pulse-shm-1
            7ff601200000-7ff601300000 rw-p 00000000 00:00 0
            7f4990b69000-7f4990b6d000 r--p 00000000 00:00 0                          [vvar]
            7f4990b6d000-7f4990b6f000 r--p 00000000 00:00 0                          [vvar_vclock]
            7f4990b6f000-7f4990b71000 r-xp 00000000 00:00 0                          [vdso]
            7ffcce670000-7ffcce692000 rw-p 00000000 00:00 0                          [stack]
            ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]
            """;

    static List<Mapping> sorted(String text) {
        List<Mapping> ms = new ArrayList<>(MapsParser.parse(text.replaceAll("(?m)^\\s+", ""), "maps"));
        ms.sort((a, b) -> Long.compareUnsigned(a.start(), b.start()));
        return ms;
    }

    static Region find(List<Region> rs, long start) {
        return rs.stream().filter(r -> r.mapping().start() == start).findFirst().orElseThrow();
    }

    @Test
    void classifiesWithoutElf() {
        List<Mapping> ms = sorted(MAPS);
        List<String> asked = new ArrayList<>();
        ClassifierInput in = new ClassifierInput(ms, "/usr/bin/demo", m -> {
            asked.add(m.path().name());
            return ElfLookup.missing("not ELF", null);
        }, Map.of(4242, 0x7ff601030ec4L, 4241, 0x7ffcce691000L), 4241, 0x5600aa000000L, 0x7ffcce6912a0L, 4096);
        List<Region> rs = Classifier.classify(in);

        assertEquals(ms.size(), rs.size());
        Region heap = find(rs, 0x5600aa000000L);
        assertEquals(RegionKind.HEAP, heap.kind());
        assertEquals("[heap]: brk area from start_brk 0x5600aa000000 to brk 0x5600aa021000", heap.evidence());

        assertEquals(RegionKind.MALLOC_ARENA, find(rs, 0x7f3a60000000L).kind());
        assertEquals(RegionKind.MALLOC_ARENA, find(rs, 0x7f3a60021000L).kind());
        assertTrue(find(rs, 0x7f3a60000000L).evidence().startsWith("heuristic"));
        // An rw-p not at a 64 MiB boundary, then ---p to one: a reservation shape, but not glibc's.
        assertEquals(RegionKind.ANONYMOUS, find(rs, 0x7f3a64800000L).kind());
        assertEquals(RegionKind.RESERVED, find(rs, 0x7f3a64a00000L).kind());
        assertEquals(RegionKind.RESERVED, find(rs, 0x7f3a70000000L).kind());

        Region guard = find(rs, 0x7ff600831000L);
        Region ts = find(rs, 0x7ff600832000L);
        assertEquals(RegionKind.THREAD_STACK, ts.kind());
        assertEquals(4242, ts.tid());
        assertEquals("SP of tid 4242 (task/4242/syscall) at 0x7ff601030ec4 lies in this anonymous rw-p",
                ts.evidence());
        assertEquals(RegionKind.GUARD, guard.kind());
        assertEquals(4242, guard.tid());
        assertEquals("---p 4 KiB directly below the stack of tid 4242", guard.evidence());

        assertEquals(RegionKind.MEMFD, find(rs, 0x7ff601100000L).kind());
        assertEquals(RegionKind.SHARED_ANONYMOUS, find(rs, 0x7ff601101000L).kind());
        assertEquals(RegionKind.SYSV_SHM, find(rs, 0x7ff601102000L).kind());
        assertTrue(find(rs, 0x7ff601102000L).evidence().contains("shmid 9"));
        assertEquals(RegionKind.SHARED_ANONYMOUS, find(rs, 0x7ff601103000L).kind());
        assertEquals(RegionKind.NAMED_ANONYMOUS, find(rs, 0x7ff601104000L).kind());
        assertEquals(RegionKind.DEVICE, find(rs, 0x7ff601105000L).kind());
        assertEquals(RegionKind.DEVICE, find(rs, 0x7ff601106000L).kind());
        assertEquals(RegionKind.FILE, find(rs, 0x7ff601107000L).kind());
        assertTrue(find(rs, 0x7ff601107000L).evidence().contains("(no ELF headers: not ELF)"),
                find(rs, 0x7ff601107000L).evidence());
        assertEquals(RegionKind.FILE, find(rs, 0x7ff601108000L).kind());
        assertTrue(find(rs, 0x7ff601108000L).evidence().startsWith("deleted file"));
        assertEquals(RegionKind.FILE, find(rs, 0x7ff601109000L).kind());
        assertEquals(RegionKind.ANONYMOUS, find(rs, 0x7ff601200000L).kind());
        assertEquals(RegionKind.VVAR, find(rs, 0x7f4990b69000L).kind());
        assertEquals(RegionKind.VVAR_VCLOCK, find(rs, 0x7f4990b6d000L).kind());
        assertEquals(RegionKind.VDSO, find(rs, 0x7f4990b6f000L).kind());
        Region stack = find(rs, 0x7ffcce670000L);
        assertEquals(RegionKind.STACK, stack.kind());
        assertEquals(4241, stack.tid());
        assertTrue(stack.evidence().contains("startstack 0x7ffcce6912a0 inside"), stack.evidence());
        assertEquals(RegionKind.VSYSCALL, find(rs, 0xffffffffff600000L).kind());

        // Only ordinary files are looked up, each once; deleted ones too (map_files still serves them).
        assertEquals(List.of("/usr/share/fonts/a.ttf", "/usr/lib/old.so"), asked);
        for (Region r : rs) {
            assertTrue(!r.evidence().isBlank() && !r.evidence().contains("\n"), r.toString());
            if (r.kind() != RegionKind.THREAD_STACK && r.kind() != RegionKind.GUARD && r.kind() != RegionKind.STACK) {
                assertNull(r.tid(), r.toString());
            }
        }
    }

    @Test
    void aThreadWithoutAKnownSpLeavesItsStackAnonymousAndItsGuardReserved() {
        List<Mapping> ms = sorted("""
                7ff600831000-7ff600832000 ---p 00000000 00:00 0
                7ff600832000-7ff601032000 rw-p 00000000 00:00 0
                """);
        List<Region> rs = Classifier.classify(new ClassifierInput(ms, null, m -> ElfLookup.notLookedUp(), Map.of(), 1, 0, 0,
                4096));
        assertEquals(RegionKind.RESERVED, rs.get(0).kind());
        assertEquals(RegionKind.ANONYMOUS, rs.get(1).kind());
    }

    @Test
    void aFullyGrownArenaAndAMergedArenaRest() {
        List<Mapping> ms = sorted("""
                7f3a5c000000-7f3a60000000 rw-p 00000000 00:00 0
                7f3a63f00000-7f3a64100000 rw-p 00000000 00:00 0
                7f3a64100000-7f3a68000000 ---p 00000000 00:00 0
                """);
        List<Region> rs = Classifier.classify(new ClassifierInput(ms, null, m -> ElfLookup.notLookedUp(), Map.of(), 1, 0, 0,
                4096, 3));
        assertEquals(RegionKind.MALLOC_ARENA, rs.get(0).kind());
        assertTrue(rs.get(0).evidence().contains("in a process of 3 threads"), rs.get(0).evidence());
        assertEquals(RegionKind.ANONYMOUS, rs.get(1).kind());
        assertEquals(RegionKind.MALLOC_ARENA, rs.get(2).kind());
        assertTrue(rs.get(2).evidence().contains("0x7f3a64000000"), rs.get(2).evidence());
    }

    @Test
    void a64MiBMappingAtA64MiBBoundaryInASingleThreadedProcessIsNoArena() {
        // With THP, anonymous mappings of 2 MiB or more start at 2 MiB boundaries: a 64 MiB mmap lands on a 64 MiB
        // one in about one run in 32 (sparse_big did). glibc gives arenas to threads other than the first only.
        List<Mapping> ms = sorted("""
                7f3a5c000000-7f3a60000000 rw-p 00000000 00:00 0
                """);
        for (int threads : new int[] {0, 1}) {
            List<Region> rs = Classifier.classify(new ClassifierInput(ms, null, m -> ElfLookup.notLookedUp(), Map.of(),
                    1, 0, 0, 4096, threads));
            assertEquals(RegionKind.ANONYMOUS, rs.get(0).kind(), threads + " threads: " + rs.get(0).evidence());
        }
    }

    @Test
    void aLookupThatThrowsCountsAsNoHeaders() {
        List<Mapping> ms = sorted("""
                7ff601107000-7ff601108000 r--p 00000000 fe:00 55                         /opt/odd.bin
                """);
        List<Region> rs = Classifier.classify(new ClassifierInput(ms, null, m -> {
            throw new BadInput(m.path().name() + ": truncated");
        }, Map.of(), 1, 0, 0, 4096));
        assertEquals(RegionKind.FILE, rs.get(0).kind());
        assertTrue(rs.get(0).evidence().contains("/opt/odd.bin: truncated"), rs.get(0).evidence());
    }

    @Test
    void elfSegmentsOfAnImageWithoutItsOffsetZeroPageArePlacedByFileOffset() throws Exception {
        // The java launcher's headers; its text mapped alone, as if the program had unmapped its first page.
        java.nio.file.Path exe = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
        ElfFile e = ElfFile.read(exe);
        ElfFile.ProgramHeader text = e.loads().stream().filter(ElfFile.ProgramHeader::executable).findFirst()
                .orElseThrow();
        long base = 0x560000000000L;
        long start = base + (text.vaddr() & -4096L);
        long end = base + ((text.vaddr() + text.memsz() + 4095) & -4096L);
        String line = Long.toHexString(start) + "-" + Long.toHexString(end) + " r-xp "
                + String.format("%08x", text.offset() & -4096L) + " fe:00 1 " + exe;
        List<Region> rs = Classifier.classify(new ClassifierInput(MapsParser.parse(line, "maps"), exe.toString(),
                m -> ElfLookup.found(e, null), Map.of(), 1, 0, 0, 4096));
        assertEquals(RegionKind.TEXT, rs.get(0).kind(), rs.get(0).evidence());
        assertTrue(rs.get(0).sections().contains(".text"));
        assertTrue(rs.get(0).evidence().contains("no offset-0 mapping"), rs.get(0).evidence());
        assertEquals(exe.toString(), rs.get(0).owner());
    }
}
