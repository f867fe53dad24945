package dev.inspector.core.samples;

import dev.inspector.core.demo.ProgramRun;
import dev.inspector.core.demo.SampleDirectory;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.demo.SampleStep;
import dev.inspector.core.demo.SampleStep.Range;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.Samples;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every demo and hostile sample run end to end in pause mode against its contract in native-samples/README.md: it
 * announces exactly the documented steps in order, every announced address lies in the kind of mapping the README
 * says (read from /proc/PID/maps of the stopped process that announced it), and it exits 0. Where a step depends on
 * privilege or a kernel feature the expectation is taken from what this kernel shows (hugetlb pools, THP mode, PFN
 * visibility, user namespaces, 32-bit support). {@code --help} exits 0 and a bad argument exits 2 for every program.
 */
@EnabledOnOs(OS.LINUX)
@LiveTest
class DemoSamplesLiveTest {

    private static final Duration EXIT = Duration.ofSeconds(30);
    private static final SampleDirectory SAMPLES = SampleDirectory.locate();
    private static final long PAGE = 4096;

    /** Every STEP program the Makefile builds (vmsplit32 aside: it may not run here), with a bad argument for each. */
    private static final Map<String, String> BAD_ARGUMENT = new LinkedHashMap<>();

    static {
        for (String p : List.of("segments", "stack_vs_heap", "malloc_threshold", "heap_frag", "aslr", "cow_fork",
                "shared_mapping", "odd_names")) {
            BAD_ARGUMENT.put(p, "extra");
        }
        BAD_ARGUMENT.put("demand_paging", "3");
        BAD_ARGUMENT.put("physical_scatter", "1");
        BAD_ARGUMENT.put("mprotect_fault", "live");
        BAD_ARGUMENT.put("stack_overflow", "nogap");
        BAD_ARGUMENT.put("threads", "17");
        BAD_ARGUMENT.put("hugepages", "7");
        BAD_ARGUMENT.put("address_limits", "all");
        BAD_ARGUMENT.put("chroot_target", "socket");
        BAD_ARGUMENT.put("churn", "-1");
        BAD_ARGUMENT.put("pthread_exit_leader", "0");
        BAD_ARGUMENT.put("typical", "0");
        BAD_ARGUMENT.put("many_vmas", "0");
        BAD_ARGUMENT.put("sparse_big", "x");
    }

    // ---- the demo programs ----

    @Test
    void segments() throws IOException {
        Run r = new Run("segments");
        r.step("start_no_malloc_yet", "addr.code", "exe-text", "addr.literal", "exe-ro", "addr.rodata", "exe-ro",
                "addr.data", "exe-rw", "addr.bss_small", "bss", "addr.bss_zero", "bss", "addr.bss_big", "bss",
                "addr.bss_big_end", "bss", "addr.local", "stack", "addr.brk", "unmapped", "range.bss_big", "bss");
        r.step("after_write_data", "addr.data", "exe-rw");
        r.step("after_touch_big_bss", "addr.bss_big", "bss", "range.bss_big", "bss");
        r.step("after_first_malloc", "addr.heap_chunk", "heap", "range.heap", "heap");
        r.step("done");
        r.check("start_no_malloc_yet", (s, maps) -> assertTrue(maps.stream()
                .noneMatch(m -> m.path().type() == MappingPath.Type.HEAP), "no [heap] before the first malloc"));
        r.check("after_touch_big_bss", (s, maps) -> {
            Range big = s.range("bss_big");
            assertEquals(pages(big), present(s.pid(), big), "every page of the touched array is present");
        });
        r.check("after_first_malloc", (s, maps) -> exactly(maps, s.range("heap")));
        r.run();
    }

    @Test
    void stackVsHeap() throws IOException {
        Run r = new Run("stack_vs_heap");
        r.step("start", "addr.main_local", "stack", "addr.sp", "stack", "addr.brk", "unmapped");
        for (int d = 1; d <= 3; d++) {
            r.step("stack_frame", "addr.local", "stack", "addr.sp", "stack", "addr.frame", "stack",
                    "addr.caller_frame", "stack");
        }
        r.step("frames_returned", "addr.main_local", "stack", "addr.sp", "stack", "addr.deepest_local", "stack");
        for (int i = 1; i <= 3; i++) {
            r.step("heap_alloc", "addr.chunk", "heap", "range.heap", "heap");
        }
        for (int i = 1; i <= 2; i++) {
            r.step("mmap_alloc", "addr.map", "anon", "range.map", "anon");
        }
        r.step("done");
        long[] previous = {-1};
        r.check("stack_frame", (s, maps) -> {
            long local = s.addr("local");
            if (previous[0] != -1) {
                assertTrue(Long.compareUnsigned(local, previous[0] - s.number("frame_bytes")) <= 0,
                        "each frame at least 64 KiB below the previous one: " + s.line());
            }
            previous[0] = local;
            assertTrue(Long.compareUnsigned(s.addr("caller_frame"), s.addr("frame")) > 0, s.line());
        });
        r.check("heap_alloc", (s, maps) -> assertEquals("1", s.value("higher_than_prev"), s.line()));
        r.check("mmap_alloc", (s, maps) -> assertEquals("1", s.value("lower_than_prev"), s.line()));
        r.run();
    }

    @Test
    void mallocThreshold() throws IOException {
        Run r = new Run("malloc_threshold");
        r.step("start", "addr.brk", "unmapped");
        String[] allocs = {"malloc_16", "malloc_200000_first", null, "malloc_200000_again", "malloc_1MiB_first", null,
            "malloc_1MiB_again", "malloc_33MiB", null, "malloc_2MiB"};
        String[] frees = {null, null, "free_200000", null, null, "free_1MiB", null, null, "free_33MiB", null};
        for (int i = 0; i < allocs.length; i++) {
            if (allocs[i] != null) {
                r.step(allocs[i], "addr.chunk", "dyn", "range.heap", "dyn", "range.chunk_mapping", "anon?");
                r.check(allocs[i], (s, maps) -> {
                    boolean mmapped = s.value("mmapped").equals("1");
                    assertEquals(mmapped ? "anon" : "heap", kindOf(maps, s.addr("chunk"), s.pid()), s.line());
                    assertEquals(mmapped, s.has("range.chunk_mapping"), s.line());
                    if (mmapped) {
                        Range m = s.range("chunk_mapping");
                        assertEquals(m.lo() + 16, s.addr("chunk"), "an mmapped chunk's pointer is mapping + 16");
                        assertEquals(0, m.size() % PAGE, s.line());
                        assertTrue(m.size() >= s.number("size") + 16, s.line());
                    }
                    assertHeapRange(s, maps);
                });
            } else {
                r.step(frees[i], "addr.freed", "dyn", "range.heap", "dyn");
                r.check(frees[i], (s, maps) -> {
                    String expected = s.value("was_mmapped").equals("1") ? "unmapped" : "heap";
                    assertEquals(expected, kindOf(maps, s.addr("freed"), s.pid()), s.line());
                    assertHeapRange(s, maps);
                });
            }
        }
        r.step("done");
        r.run();
    }

    @Test
    void heapFrag() throws IOException {
        Run r = new Run("heap_frag");
        r.step("allocated_100x10000", "addr.first", "heap", "addr.hole", "heap", "addr.top_block", "heap",
                "range.heap", "heap");
        r.step("hole_reused", "addr.hole", "heap", "addr.new_block", "heap", "range.heap", "heap");
        r.step("freed_all_but_top_block", "addr.top_block", "heap", "range.heap", "heap");
        r.step("after_malloc_trim", "addr.top_block", "heap", "range.heap", "heap");
        r.step("done");
        long[] heapEnd = new long[1];
        r.check("hole_reused", (s, maps) -> assertEquals(s.addr("hole") == s.addr("new_block") ? "1" : "0",
                s.value("same")));
        r.check("freed_all_but_top_block", (s, maps) -> {
            exactly(maps, s.range("heap"));
            heapEnd[0] = s.range("heap").hi();
        });
        r.check("after_malloc_trim", (s, maps) -> {
            exactly(maps, s.range("heap"));
            assertTrue(Long.compareUnsigned(s.range("heap").hi(), heapEnd[0]) <= 0, "trimming never grows the heap");
        });
        r.run();
    }

    @Test
    void demandPaging() throws IOException {
        Run r = new Run("demand_paging", "4");
        r.step("after_mmap_anon", "range.anon", "anon");
        r.step("after_read_first_half", "range.anon", "anon", "range.read", "anon");
        r.step("after_write_all", "range.anon", "anon");
        r.step("after_madv_dontneed", "range.anon", "anon");
        r.step("after_write_thp_region", "range.thp", "anon");
        r.step("after_mmap_file", "range.file", "file");
        r.step("after_read_file", "range.file", "file");
        r.step("done");
        Path[] dataFile = new Path[1];
        r.check("after_mmap_anon", (s, maps) -> assertEquals(0, present(s.pid(), s.range("anon"))));
        r.check("after_read_first_half", (s, maps) -> {
            assertEquals(s.number("pages_read"), present(s.pid(), s.range("read")), "every page read is present");
            assertEquals(s.number("pages_read"), present(s.pid(), s.range("anon")), "and only those");
        });
        r.check("after_write_all", (s, maps) -> assertEquals(s.number("pages_written"),
                present(s.pid(), s.range("anon"))));
        r.check("after_madv_dontneed", (s, maps) -> assertEquals(0, present(s.pid(), s.range("anon"))));
        r.check("after_write_thp_region", (s, maps) -> {
            String thp = bracketed("/sys/kernel/mm/transparent_hugepage/enabled");
            long huge = smapsField(s.pid(), s.range("thp").lo(), "AnonHugePages");
            if (s.value("madv_hugepage").equals("ok") && !thp.equals("never")) {
                assertTrue(huge > 0, "THP " + thp + ": a MADV_HUGEPAGE region gets huge pages, smaps says " + huge);
            } else {
                assertEquals(0, huge, "THP " + thp + ", madvise " + s.value("madv_hugepage"));
            }
        });
        r.check("after_mmap_file", (s, maps) -> {
            Mapping m = at(maps, s.range("file").lo());
            assertEquals(s.value("file"), m.path().name(), m.toMapsLine());
            dataFile[0] = Paths.get(s.value("file"));
            assertTrue(Files.isRegularFile(dataFile[0]));
            assertEquals(0, present(s.pid(), s.range("file")));
        });
        r.check("after_read_file", (s, maps) -> {
            assertEquals(s.number("pages_read"), present(s.pid(), s.range("file")));
            assertEquals(s.number("pages_read"), fileBitSet(s.pid(), s.range("file")), "pagemap bit 61: file pages");
        });
        r.run();
        assertFalse(Files.exists(dataFile[0].getParent()), "the data file's directory is removed at exit");
    }

    @Test
    void aslr() throws IOException {
        Run r = new Run("aslr");
        r.step("layout", "addr.stack_local", "stack", "addr.exe_code", "exe-text", "addr.exe_data", "exe-rw",
                "addr.heap_chunk", "heap", "range.heap", "heap", "addr.mmap_anon", "anon", "addr.libc_fn", "libc",
                "addr.ld_base", "ld", "addr.vdso", "vdso");
        r.step("done");
        r.check("layout", (s, maps) -> {
            long persona = Long.parseLong(read(Paths.get("/proc", Integer.toString(s.pid()), "personality")).trim(),
                    16);
            assertEquals(persona, Long.decode(s.value("personality")));
            assertEquals((persona & 0x0040000) != 0 ? "1" : "0", s.value("addr_no_randomize"));
            assertEquals(read(Paths.get("/proc/sys/kernel/randomize_va_space")).trim(),
                    s.value("randomize_va_space"));
        });
        r.run();
    }

    @Test
    void mprotectFault() throws IOException {
        mprotectFault(false);
    }

    @Test
    void mprotectFaultDie() throws IOException {
        mprotectFault(true);
    }

    private void mprotectFault(boolean die) throws IOException {
        Run r = die ? new Run("mprotect_fault", "die") : new Run("mprotect_fault");
        r.step("three_rw_pages_one_vma", "range.area", "anon rw-p", "addr.middle", "anon rw-p");
        r.step("middle_page_read_only", "range.area", "anon rw-p", "addr.middle", "anon r--p", "range.middle",
                "anon r--p");
        fault(r, "write_read_only_page", "anon r--p", "SEGV_ACCERR", true);
        fault(r, "read_prot_none_page", "anon ---p", "SEGV_ACCERR", true);
        fault(r, "exec_data_page", "anon rw-p", "SEGV_ACCERR", true);
        fault(r, "write_string_literal", "exe-ro", "SEGV_ACCERR", true);
        fault(r, "write_own_code", "exe-text", "SEGV_ACCERR", true);
        fault(r, "read_unmapped_page", "unmapped", "SEGV_MAPERR", true);
        fault(r, "read_null", "unmapped", "SEGV_MAPERR", true);
        fault(r, "read_kernel_address", "unmapped", "SEGV_MAPERR", true);
        fault(r, "read_non_canonical", "unmapped", "SI_KERNEL", false);
        fault(r, "read_vsyscall_page", "dyn", "SEGV_MAPERR", true);
        r.check("read_vsyscall_page", (s, maps) -> {
            // Listed (and execute-only) unless the kernel runs with vsyscall=none: either way a read is MAPERR.
            boolean listed = maps.stream().anyMatch(m -> m.path().type() == MappingPath.Type.VSYSCALL);
            assertEquals(listed ? "vsyscall" : "unmapped", kindOf(maps, s.addr("target"), s.pid()));
        });
        r.step("io_port_instruction", "addr.si_addr", "unmapped");
        r.check("io_port_instruction", (s, maps) -> {
            assertEquals("0x80", s.value("port"));
            assertEquals("SI_KERNEL", s.value("si_code_name"), s.line());
        });
        r.check("middle_page_read_only", (s, maps) -> {
            // The outer pages may merge with compatible neighbours; the middle page is a line of its own.
            Range area = s.range("area");
            exactly(maps, s.range("middle"));
            assertEquals(List.of("rw-p", "r--p", "rw-p"), List.of(at(maps, area.lo()).perms().toString(),
                    at(maps, s.addr("middle")).perms().toString(), at(maps, area.hi() - 1).perms().toString()),
                    "mprotect split the mapping");
        });
        if (die) {
            r.step("about_to_die", "addr.target", "anon r--p");
            r.expectExit(128 + 11);
        } else {
            r.step("done");
        }
        r.run();
    }

    /** A fault step: the target lies in {@code kind} and the handler saw {@code code} at the target (or at 0). */
    private static void fault(Run r, String step, String kind, String code, boolean siAddrIsTarget) {
        r.step(step, "addr.target", kind, "addr.si_addr", siAddrIsTarget ? kind : "unmapped");
        r.check(step, (s, maps) -> {
            assertEquals("1", s.value("faulted"), s.line());
            assertEquals("SIGSEGV", s.value("signal"), s.line());
            assertEquals(code, s.value("si_code_name"), s.line());
            assertEquals(siAddrIsTarget ? s.addr("target") : 0L, s.addr("si_addr"), s.line());
        });
    }

    @Test
    void cowFork() throws IOException {
        Run r = new Run("cow_fork");
        String[] keys = {"addr.global", "bss", "addr.anon", "anon"};
        r.step("parent_before_fork", (Object[]) keys);
        r.step("child_before_write", (Object[]) keys);
        r.step("child_after_write", (Object[]) keys);
        r.step("parent_after_child_write", (Object[]) keys);
        r.step("parent_after_own_write", (Object[]) keys);
        r.step("done");
        long[][] parentFrames = new long[1][];
        r.check("parent_before_fork", (s, maps) -> {
            assertEquals(r.pid(), s.pid());
            parentFrames[0] = frames(s.pid(), s.addr("global"), s.addr("anon"));
        });
        r.check("child_before_write", (s, maps) -> {
            assertNotEquals(r.pid(), s.pid(), "the child announces its own pid");
            assertEquals(r.pid(), s.number("parent_pid"));
            assertEquals("parent", s.value("content.global"));
            long[] mine = frames(s.pid(), s.addr("global"), s.addr("anon"));
            long[] parent = frames(r.pid(), s.addr("global"), s.addr("anon"));
            if (pfnsVisible(mine)) {
                assertArrayEquals(parent, mine, "before its write the child maps the parent's frames");
            }
        });
        r.check("child_after_write", (s, maps) -> {
            assertEquals("child", s.value("content.anon"));
            long[] mine = frames(s.pid(), s.addr("global"), s.addr("anon"));
            long[] parent = frames(r.pid(), s.addr("global"), s.addr("anon"));
            if (pfnsVisible(mine)) {
                for (int i = 0; i < mine.length; i++) {
                    assertNotEquals(parent[i], mine[i], "the write copied page " + i);
                }
            }
        });
        r.check("parent_after_child_write", (s, maps) -> {
            assertEquals(r.pid(), s.pid());
            assertEquals("parent", s.value("content.global"));
            if (pfnsVisible(parentFrames[0])) {
                assertArrayEquals(parentFrames[0], frames(s.pid(), s.addr("global"), s.addr("anon")));
            }
        });
        r.run();
    }

    @Test
    void physicalScatter() throws IOException {
        Run r = new Run("physical_scatter", "64");
        r.step("touched_in_reverse", "range.region", "anon");
        r.step("retouched_after_dontneed", "range.region", "anon");
        r.step("done");
        BiConsumer<SampleStep, List<Mapping>> allOwnFrames = (s, maps) -> {
            Range region = s.range("region");
            assertEquals(s.number("pages"), present(s.pid(), region));
            long[] pfns = new long[(int) pages(region)];
            for (int i = 0; i < pfns.length; i++) {
                pfns[i] = frames(s.pid(), region.lo() + i * PAGE)[0];
            }
            if (pfnsVisible(pfns)) {
                assertEquals(pfns.length, java.util.Arrays.stream(pfns).distinct().count(), "one frame per page");
            }
        };
        r.check("touched_in_reverse", allOwnFrames);
        r.check("retouched_after_dontneed", allOwnFrames);
        r.run();
    }

    @Test
    void stackOverflow() throws IOException {
        stackOverflow(false);
    }

    @Test
    void stackOverflowAgainstTheGuardGap() throws IOException {
        stackOverflow(true);
    }

    private void stackOverflow(boolean gap) throws IOException {
        Run r = gap ? new Run("stack_overflow", "gap") : new Run("stack_overflow");
        r.step("start", "addr.main_local", "stack", "addr.sp", "stack", "range.altstack", "anon");
        r.step("touched_below_sp", "addr.touched", "stack");
        if (gap) {
            r.step("placed_blocker", "addr.blocker", "anon r--p", "range.blocker", "anon r--p");
        }
        r.step("recursed", "addr.deepest_local", "stack");
        r.step("overflow_sigsegv", "addr.si_addr", "unmapped", "addr.deepest_local", "stack", "addr.handler_local",
                "anon", "range.altstack", "anon");
        r.step("done");
        long[] blockerEnd = new long[1];
        long[] rlimit = new long[1];
        r.check("start", (s, maps) -> rlimit[0] = s.number("rlimit_stack_kib") * 1024);
        r.check("placed_blocker", (s, maps) -> blockerEnd[0] = s.range("blocker").hi());
        r.check("overflow_sigsegv", (s, maps) -> {
            assertEquals("SEGV_MAPERR", s.value("si_code_name"), s.line());
            assertTrue(s.range("altstack").contains(s.addr("handler_local")), "the handler runs on the altstack");
            Mapping stack = maps.stream().filter(m -> m.path().type() == MappingPath.Type.STACK).findFirst()
                    .orElseThrow();
            if (gap) {
                long gapBytes = stackGuardGapPages() * PAGE;
                assertTrue(stack.start() - blockerEnd[0] >= gapBytes, "the stack stops " + gapBytes
                        + " bytes above the blocker: " + stack.toMapsLine());
            } else {
                // Grown until the next 64 KiB frame no longer fitted under RLIMIT_STACK.
                assertTrue(stack.size() <= rlimit[0] && stack.size() > rlimit[0] - 2 * 65536,
                        "grown to RLIMIT_STACK " + rlimit[0] + ": " + stack.toMapsLine());
            }
        });
        r.run();
    }

    @Test
    void sharedMapping() throws IOException {
        Run r = new Run("shared_mapping");
        r.step("memfd_mapped_twice", "addr.memfd_a", "memfd rw-s", "addr.memfd_b", "memfd rw-s");
        r.step("file_mapped_shared_and_private", "addr.file_shared", "file rw-s", "addr.file_private", "file rw-p");
        r.step("file_written_through_both", "addr.file_shared", "file rw-s", "addr.file_private", "file rw-p");
        String[] anonKeys = {"addr.shared_anon", "shared-anon rw-s", "addr.private_anon", "anon rw-p",
            "addr.libc_text", "libc"};
        r.step("before_fork", (Object[]) anonKeys);
        r.step("child_wrote_both", (Object[]) anonKeys);
        r.step("parent_after_child", "addr.shared_anon", "shared-anon rw-s", "addr.private_anon", "anon rw-p");
        r.step("done");
        r.check("memfd_mapped_twice", (s, maps) -> {
            assertEquals("1", s.value("same_content"));
            long[] f = frames(s.pid(), s.addr("memfd_a"), s.addr("memfd_b"));
            if (pfnsVisible(f)) {
                assertEquals(f[0], f[1], "two addresses, one frame");
            }
        });
        r.check("file_written_through_both", (s, maps) -> {
            assertEquals("shared_write", s.value("content.file"));
            assertEquals(1, fileBitSet(s.pid(), new Range(s.addr("file_shared"), s.addr("file_shared") + PAGE)));
            assertEquals(0, fileBitSet(s.pid(), new Range(s.addr("file_private"), s.addr("file_private") + PAGE)),
                    "the private write made an anonymous copy");
        });
        r.check("child_wrote_both", (s, maps) -> {
            assertNotEquals(r.pid(), s.pid());
            long[] child = frames(s.pid(), s.addr("shared_anon"), s.addr("private_anon"));
            long[] parent = frames(r.pid(), s.addr("shared_anon"), s.addr("private_anon"));
            if (pfnsVisible(child)) {
                assertEquals(parent[0], child[0], "the shared page is one frame in both");
                assertNotEquals(parent[1], child[1], "the private page was copied");
            }
        });
        r.check("parent_after_child", (s, maps) -> {
            assertEquals("1", s.value("shared_sees_child"));
            assertEquals("0", s.value("private_sees_child"));
        });
        r.run();
    }

    @Test
    void threads() throws IOException {
        int n = 2;
        Run r = new Run(Samples.env("MALLOC_ARENA_MAX", null), "threads", Integer.toString(n));
        r.step("main_only", "addr.main_local", "stack", "addr.main_chunk", "heap");
        for (int i = 0; i < n; i++) {
            r.step("thread_running", "addr.stack_local", "anon rw-p", "addr.tls", "anon rw-p", "addr.chunk",
                    "anon rw-p", "range.stack", "anon rw-p", "range.guard", "anon ---p");
        }
        r.step("all_threads_alive", "addr.main_chunk", "heap");
        r.step("threads_joined", "addr.old_stack.0", "anon", "addr.old_stack.1", "anon");
        r.step("done");
        r.check("thread_running", (s, maps) -> {
            Mapping stack = exactly(maps, s.range("stack"));
            exactly(maps, s.range("guard"));
            assertTrue(stack.contains(s.addr("stack_local")) && stack.contains(s.addr("tls")), s.line());
            assertFalse(stack.contains(s.addr("chunk")), "the thread's malloc comes from its arena");
        });
        r.check("all_threads_alive", (s, maps) -> {
            Set<Integer> announced = new HashSet<>();
            announced.add((int) s.number("tid.main"));
            for (int i = 0; i < n; i++) {
                announced.add((int) s.number("tid." + i));
            }
            assertEquals(announced, tasks(s.pid()));
        });
        r.run();
    }

    @Test
    void hugepages() throws IOException {
        Run r = new Run("hugepages", "4");
        r.step("plain_anon_touched", "range.plain", "anon");
        r.step("thp_madvised_touched", "range.thp", "anon");
        r.step("hugetlb_2MiB", "range.hugetlb", "dyn");
        r.step("hugetlb_1GiB", "range.hugetlb", "dyn");
        r.step("done");
        r.check("plain_anon_touched", (s, maps) -> {
            assertEquals(bracketed("/sys/kernel/mm/transparent_hugepage/enabled"), s.value("thp_enabled"));
            long huge = smapsField(s.pid(), s.range("plain").lo(), "AnonHugePages");
            if (!s.value("thp_enabled").equals("always")) {
                assertEquals(0, huge, "no advice, THP " + s.value("thp_enabled") + ": no huge pages");
            }
        });
        r.check("thp_madvised_touched", (s, maps) -> {
            long huge = smapsField(s.pid(), s.range("thp").lo(), "AnonHugePages");
            if (!bracketed("/sys/kernel/mm/transparent_hugepage/enabled").equals("never")) {
                assertTrue(huge > 0, "MADV_HUGEPAGE region: AnonHugePages " + huge);
            }
        });
        BiConsumer<SampleStep, List<Mapping>> hugetlb = (s, maps) -> {
            Path pool = Paths.get("/sys/kernel/mm/hugepages", s.value("pool"));
            String expected;
            if (!Files.isDirectory(pool)) {
                expected = "EINVAL"; // the kernel has no pool of that size: MAP_HUGE_* names an unknown size
                assertEquals("0", s.value("pool_exists"));
            } else {
                long free = Long.parseLong(read(pool.resolve("free_hugepages")).trim());
                expected = free > 0 ? "ok" : "ENOMEM";
            }
            assertEquals(expected, s.value("result"), s.line());
            if (expected.equals("ok")) {
                Mapping m = exactly(maps, s.range("hugetlb"));
                assertTrue(m.path().name().contains("anon_hugepage"), m.toMapsLine());
            } else {
                assertFalse(s.has("range.hugetlb"), s.line());
            }
        };
        r.check("hugetlb_2MiB", hugetlb);
        r.check("hugetlb_1GiB", hugetlb);
        r.run();
    }

    @Test
    void addressLimits() throws IOException {
        Run r = new Run("address_limits", "exhaust");
        r.step("mmap_granularity", "addr.one_byte", "anon", "addr.five_thousand", "anon");
        r.step("user_space_top", "addr.top_page", "anon?", "addr.hint_result", "anon", "addr.vsyscall", "vsyscall");
        r.step("map_count");
        r.step("map_count_limit", "range.bulk", "anon");
        r.step("done");
        r.check("mmap_granularity", (s, maps) -> {
            assertEquals(PAGE, at(maps, s.addr("one_byte")).size(), "1 byte asked, one page mapped");
            assertEquals(2 * PAGE, at(maps, s.addr("five_thousand")).size(), "5000 bytes asked, two pages mapped");
            assertEquals("EINVAL", s.value("file_offset_100"));
        });
        r.check("user_space_top", (s, maps) -> {
            long highest = maps.stream().filter(m -> m.path().type() != MappingPath.Type.VSYSCALL)
                    .mapToLong(Mapping::end).max().orElseThrow();
            boolean la57 = read(Paths.get("/proc/cpuinfo")).contains(" la57");
            if (!la57) {
                assertTrue(Long.compareUnsigned(highest, 1L << 47) <= 0, "4-level paging: user space below 2^47");
                assertEquals("0", s.value("hint_honoured"));
                assertEquals("ENOMEM", s.value("at_2_47_result"));
                assertEquals("ENOMEM", s.value("last_page_result"));
            }
            for (Mapping m : maps) {
                if (m.path().type() != MappingPath.Type.VSYSCALL) {
                    assertTrue(Long.compareUnsigned(m.start(), 1L << 56) < 0,
                            "user addresses have their top bits clear: " + m.toMapsLine());
                }
            }
        });
        r.check("map_count", (s, maps) -> assertEquals(read(Paths.get("/proc/sys/vm/max_map_count")).trim(),
                s.value("max_map_count")));
        r.check("map_count_limit", (s, maps) -> {
            assertEquals("ENOMEM", s.value("result"));
            assertTrue(maps.size() >= s.number("max_map_count"), "maps lines " + maps.size());
        });
        r.run();
    }

    @Test
    void vmsplit32() throws IOException {
        Path missing = SAMPLES.path().resolve("vmsplit32.missing");
        if (Files.exists(missing)) {
            String why = read(missing);
            assertTrue(why.contains("gcc-multilib"), why);
            assertFalse(Files.exists(SAMPLES.path().resolve("vmsplit32")));
            Assumptions.abort("vmsplit32 not built: " + why.strip());
        }
        byte[] header = Files.readAllBytes(SAMPLES.program("vmsplit32"));
        assertEquals(1, header[4], "ELFCLASS32");
        assertEquals(3, header[18], "EM_386");
        Path noexec = SAMPLES.path().resolve("vmsplit32.noexec");
        if (Files.exists(noexec)) {
            // Built, but the build's probe run was refused by this kernel (see the Makefile): say why and stop.
            Assumptions.abort(read(noexec).strip());
        }
        Run r = new Run("vmsplit32");
        r.step("layout", "addr.stack_local", "stack", "addr.exe_code", "exe-text", "addr.heap_chunk", "heap",
                "range.heap", "heap", "addr.mmap_anon", "anon", "addr.libc_fn", "libc", "addr.vdso", "vdso");
        r.step("mapped_above_3GiB", "addr.above_3GiB", "anon?");
        r.step("top_of_user_space", "addr.top_page", "anon?");
        r.step("done");
        r.check("layout", (s, maps) -> assertEquals("32", s.value("pointer_bits")));
        r.run();
    }

    // ---- the hostile targets ----

    @Test
    void chrootTargetFifo() throws IOException {
        chrootTarget("fifo");
    }

    @Test
    void chrootTargetFile() throws IOException {
        chrootTarget("file");
    }

    private void chrootTarget(String mode) throws IOException {
        Path[] top = new Path[1];
        try (SampleProgram s = SAMPLES.start("chroot_target", mode)) {
            SampleStep ready;
            try {
                ready = s.awaitStep("ready");
            } catch (dev.inspector.core.ProcessGone e) {
                assertTrue(e.getMessage().contains("exited with status 3"), e.getMessage());
                Assumptions.abort("user namespaces are not allowed here: " + e.getMessage());
                return;
            }
            assertEquals(mode, ready.value("mode"));
            List<Mapping> maps = ProcFs.system().maps(s.pid());
            Mapping mapped = exactly(maps, ready.range("mapped"));
            assertEquals(ready.value("mapped"), mapped.path().name());
            top[0] = Paths.get(ready.value("root")).getParent();
            // Look at the decoy without opening it: opening the FIFO would block forever.
            Path inside = Paths.get("/proc", Integer.toString(s.pid()), "root", ready.value("mapped"));
            BasicFileAttributes a = Files.readAttributes(inside, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (mode.equals("fifo")) {
                assertTrue(a.isOther(), "a FIFO where the mapped file's path points inside the chroot");
            } else {
                assertTrue(a.isRegularFile());
                assertNotEquals(Files.size(Paths.get(ready.value("mapped"))), a.size(), "another file");
            }
            assertTrue(ready.number("decoys") >= 3, "the copy, the executable, libc and the loader: " + ready.line());
            s.cont();
            s.awaitStep("done");
            s.cont();
            assertEquals(0, s.awaitExit(EXIT), s.stderr());
        }
        assertFalse(Files.exists(top[0]), "chroot_target removes " + top[0]);
    }

    @Test
    void churnChangesOnlyItsOwnRangesUntilReleased() throws IOException {
        // SAMPLE_HOLD=1: it churns until stdin reaches EOF instead of for whole seconds.
        try (SampleProgram s = SAMPLES.start(Samples.env("SAMPLE_HOLD", "1"), "churn", "0", "2")) {
            SampleStep ready = s.awaitStep("ready");
            List<Mapping> maps = ProcFs.system().maps(s.pid());
            for (int i = 0; i < 2; i++) {
                assertEquals("anon", kindOf(maps, ready.range("area." + i).lo(), s.pid()));
                assertEquals("---p", at(maps, ready.range("area." + i).lo()).perms().toString());
            }
            List<String> outside = outside(maps, ready);
            s.cont();
            List<Mapping> during = maps;
            // The churning threads need CPU time to split a reservation; on a loaded machine that can take a while.
            // Only lines inside the areas count: the threads' own stacks add lines before any churn.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            long before = inside(maps, ready); // adjacent reservations may share one line
            while (inside(during, ready) <= before && System.nanoTime() < deadline) {
                during = ProcFs.system().maps(s.pid());
                Thread.onSpinWait();
            }
            assertTrue(inside(during, ready) > before, "the churn split the reservations: " + during.size() + " lines");
            assertEquals(outside, outside(during, ready), "nothing outside the announced ranges changed");
            s.releaseHold();
            SampleStep done = s.awaitStep("done");
            assertTrue(done.number("cycles") > 0, done.line());
            s.cont();
            assertEquals(0, s.awaitExit(EXIT), s.stderr());
            assertEquals(List.of("ready", "done"), stepNames(s));
        }
    }

    /** How many maps lines start inside churn's two areas. */
    private static long inside(List<Mapping> maps, SampleStep ready) {
        return maps.stream()
                .filter(m -> ready.range("area.0").contains(m.start()) || ready.range("area.1").contains(m.start()))
                .count();
    }

    /** The maps lines lying wholly outside churn's areas (thread stacks come and go: only file lines count). */
    private static List<String> outside(List<Mapping> maps, SampleStep ready) {
        return maps.stream().filter(m -> m.path().isFile())
                .filter(m -> !ready.range("area.0").contains(m.start()) && !ready.range("area.1").contains(m.start()))
                .map(Mapping::toMapsLine).collect(Collectors.toList());
    }

    @Test
    void pthreadExitLeaderLeavesALiveProcessWithAZombieLeader() throws IOException {
        try (SampleProgram s = SAMPLES.start(Samples.env("SAMPLE_NOPAUSE", "1", "SAMPLE_HOLD", "1"),
                "pthread_exit_leader", "2")) {
            SampleStep ready = s.awaitStep("ready");
            SampleStep exited = s.awaitStep("leader_exited");
            assertEquals("no", exited.value("stop"));
            assertEquals("Z", exited.value("leader_state"));
            assertEquals('Z', SampleProgram.state(s.pid()), "the leader is a zombie");
            Set<Integer> tasks = tasks(s.pid());
            assertEquals(Set.of(s.pid(), (int) ready.number("tid.0"), (int) ready.number("tid.1")), tasks);
            for (int i = 0; i < 2; i++) {
                int tid = (int) ready.number("tid." + i);
                String st = read(Paths.get("/proc", Integer.toString(s.pid()), "task", Integer.toString(tid), "stat"));
                char state = st.charAt(st.lastIndexOf(')') + 2);
                assertNotEquals('Z', state, "thread " + tid + " lives on");
            }
            s.releaseHold();
            SampleStep done = s.awaitStep("done");
            assertEquals("no", done.value("stop"));
            assertEquals(0, s.awaitExit(EXIT), s.stderr());
            assertEquals(List.of("ready", "leader_exited", "done"), stepNames(s));
        }
    }

    @Test
    void oddNamesAreMappedWithTheKernelsBytes() throws IOException {
        Path dir;
        try (SampleProgram s = SAMPLES.start("odd_names")) {
            SampleStep ready = s.awaitStep("ready");
            dir = Paths.get(ready.value("dir"));
            byte[] raw = Files.readAllBytes(Paths.get("/proc", Integer.toString(s.pid()), "maps"));
            List<String> labels = List.of("invalid_utf8", "backslash_012", "newline", "spaces", "fake_deleted",
                    "escape", "tab_cr", "long_name", "deep_path");
            assertEquals(labels.size(), ready.number("files"));
            for (String label : labels) {
                byte[] name = unhex(ready.value("name_hex." + label));
                ByteArrayOutputStream want = new ByteArrayOutputStream();
                want.writeBytes(ready.value("dir").getBytes(StandardCharsets.US_ASCII));
                if (label.equals("deep_path")) {
                    byte[] component = "D".repeat((int) ready.number("deep_component_bytes"))
                            .getBytes(StandardCharsets.US_ASCII);
                    for (int i = 0; i < ready.number("deep_levels"); i++) {
                        want.write('/');
                        want.writeBytes(component);
                    }
                }
                want.write('/');
                for (byte b : name) {
                    if (b == '\n') {
                        want.writeBytes("\\012".getBytes(StandardCharsets.US_ASCII)); // the kernel's only escape
                    } else {
                        want.write(b);
                    }
                }
                if (label.equals("deep_path")) {
                    assertEquals(ready.number("deep_path_bytes"), want.size(), "the deep path's length");
                }
                Range range = ready.range(label);
                assertArrayEquals(want.toByteArray(), mapsPathBytes(raw, range.lo()), label);
            }
            s.cont();
            s.awaitStep("done");
            s.cont();
            assertEquals(0, s.awaitExit(EXIT), s.stderr());
        }
        assertFalse(Files.exists(dir), "odd_names removes " + dir);
    }

    // ---- every program ----

    @Test
    void helpExitsZeroAndABadArgumentExitsTwo() throws IOException {
        for (String program : BAD_ARGUMENT.keySet()) {
            SAMPLES.program(program); // built, executable
        }
        for (Map.Entry<String, String> e : BAD_ARGUMENT.entrySet()) {
            ProgramRun help = SAMPLES.run(EXIT, e.getKey(), "--help");
            assertEquals(0, help.exitCode(), help.toString());
            assertTrue(help.stdout().startsWith("usage: " + e.getKey()), help.toString());
            assertTrue(help.stdout().contains("steps:") && help.stdout().contains("SAMPLE_NOPAUSE"), help.toString());
            assertTrue(help.stderr().isEmpty(), help.toString());

            ProgramRun bad = SAMPLES.run(EXIT, e.getKey(), e.getValue());
            assertEquals(2, bad.exitCode(), bad.toString());
            assertTrue(bad.stdout().isEmpty(), bad.toString());
            assertEquals(1, bad.stderr().strip().lines().count(), "one line: " + bad);
        }
    }

    @Test
    void aSampleEndedBySignalSaysWhyAndCleansUp() throws IOException {
        Path dir;
        String stderr;
        try (SampleProgram s = SAMPLES.start("odd_names")) {
            dir = Paths.get(s.awaitStep("ready").value("dir"));
            // SIGTERM then SIGCONT, as a watcher ending a stopped sample does (Process.destroy would also close
            // the pipes and lose what the sample says).
            assertTrue(ProcessHandle.of(s.pid()).orElseThrow().destroy());
            s.cont();
            assertEquals(128 + 15, s.awaitExit(EXIT));
            stderr = s.stderr();
        }
        assertTrue(stderr.contains("odd_names: got SIGTERM") && stderr.contains("exiting with 143"), stderr);
        assertFalse(Files.exists(dir), "the cleanup ran: " + dir);
    }

    // ---- the walker ----

    /** One sample run: its documented steps, where each announced address must lie, and extra checks per step. */
    private final class Run {
        private final String program;
        private final String[] args;
        private final Map<String, String> env;
        private final List<String> names = new ArrayList<>();
        private final List<Map<String, String>> kinds = new ArrayList<>();
        private final Map<String, List<BiConsumer<SampleStep, List<Mapping>>>> checks = new LinkedHashMap<>();
        private int expectedExit;
        private int pid;

        Run(String program, String... args) {
            this(Map.of(), program, args);
        }

        Run(Map<String, String> env, String program, String... args) {
            this.program = program;
            this.args = args;
            this.env = env;
        }

        int pid() {
            return pid;
        }

        /**
         * A documented step and its {@code addr.*}/{@code range.*} keys with their kinds (README "Where announced
         * addresses lie"): "kind" or "kind perms"; a trailing '?' makes the key optional; "dyn" leaves the kind to a
         * {@link #check}. The step must announce no other address key.
         */
        void step(String name, Object... keyKinds) {
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < keyKinds.length; i += 2) {
                m.put((String) keyKinds[i], (String) keyKinds[i + 1]);
            }
            names.add(name);
            kinds.add(m);
        }

        void check(String step, BiConsumer<SampleStep, List<Mapping>> c) {
            checks.computeIfAbsent(step, k -> new ArrayList<>()).add(c);
        }

        void expectExit(int code) {
            expectedExit = code;
        }

        void run() {
            try (SampleProgram s = SAMPLES.start(env, program, args)) {
                pid = s.pid();
                for (int i = 0; i < names.size(); i++) {
                    SampleStep step = s.awaitStep(names.get(i));
                    assertEquals(i + 1, step.number(), "steps are numbered in order across forks: " + step.line());
                    List<Mapping> maps = ProcFs.system().maps(step.pid());
                    checkKinds(step, kinds.get(i), maps);
                    for (BiConsumer<SampleStep, List<Mapping>> c : checks.getOrDefault(step.name(), List.of())) {
                        c.accept(step, maps);
                    }
                    s.cont();
                }
                assertEquals(expectedExit, s.awaitExit(EXIT), s.stderr());
                assertEquals(names, stepNames(s), program + " announces exactly its documented steps");
            }
        }

        private void checkKinds(SampleStep step, Map<String, String> want, List<Mapping> maps) {
            for (String key : step.values().keySet()) {
                if (key.startsWith("addr.") || key.startsWith("range.")) {
                    assertTrue(want.containsKey(key), program + " step '" + step.name() + "' announces " + key
                            + ", which the test (and the README) do not list: " + step.line());
                }
            }
            for (Map.Entry<String, String> e : want.entrySet()) {
                String key = e.getKey();
                String spec = e.getValue();
                boolean optional = spec.endsWith("?");
                if (optional) {
                    spec = spec.substring(0, spec.length() - 1);
                }
                if (!step.has(key)) {
                    assertTrue(optional || spec.equals("dyn"), program + " step '" + step.name() + "' lacks " + key
                            + ": " + step.line());
                    continue;
                }
                if (spec.equals("dyn")) {
                    continue;
                }
                long addr = key.startsWith("range.") ? step.range(key.substring(6)).lo()
                        : step.addr(key.substring(5));
                String[] kp = spec.split(" ");
                String where = describe(maps, addr);
                String kind = kindOf(maps, addr, step.pid());
                if (kp[0].equals("bss") && kind.equals("exe-rw")) {
                    kind = "bss"; // .bss starts in the executable's last rw page
                }
                assertEquals(kp[0], kind, program + " step '" + step.name() + "' " + key
                        + "=0x" + Long.toHexString(addr) + " lies in: " + where);
                if (kp.length > 1) {
                    assertEquals(kp[1], at(maps, addr).perms().toString(), key + " in " + where);
                }
            }
        }
    }

    // ---- helpers: independent reads of /proc ----

    private static List<String> stepNames(SampleProgram s) {
        return s.stdoutLines().stream().filter(SampleStep::isStep).map(l -> SampleStep.parse(l).name())
                .collect(Collectors.toList());
    }

    /** The README's mapping kind of the line containing {@code addr} in the maps of {@code pid}. */
    static String kindOf(List<Mapping> maps, long addr, int pid) {
        int i = indexOf(maps, addr);
        if (i < 0) {
            return "unmapped";
        }
        Mapping m = maps.get(i);
        String exe = exePath(pid);
        MappingPath p = m.path();
        switch (p.type()) {
            case HEAP:
                return "heap";
            case STACK:
                return "stack";
            case VDSO:
                return "vdso";
            case VSYSCALL:
                return "vsyscall";
            case ANONYMOUS:
                if (i > 0 && maps.get(i - 1).end() == m.start() && isExe(maps.get(i - 1), exe)
                        && maps.get(i - 1).perms().write()) {
                    return "bss";
                }
                return "anon";
            case SHMEM_NAMED:
                return "shared-anon";
            default:
                break;
        }
        if (p.isMemfd()) {
            return "memfd";
        }
        if (p.isFile()) {
            if (p.name().equals("/dev/zero") && m.perms().shared()) {
                return "shared-anon";
            }
            if (isExe(m, exe)) {
                if (m.perms().write()) {
                    return "exe-rw";
                }
                return m.perms().exec() ? "exe-text" : "exe-ro";
            }
            String base = p.name().substring(p.name().lastIndexOf('/') + 1);
            if (base.startsWith("libc.so") && m.perms().exec()) {
                return "libc";
            }
            if (base.startsWith("ld-linux") && m.offset() == 0) {
                return "ld";
            }
            return "file";
        }
        return p.type().toString().toLowerCase(Locale.ROOT);
    }

    private static boolean isExe(Mapping m, String exe) {
        return m.path().isFile() && m.path().name().equals(exe);
    }

    private static String exePath(int pid) {
        try {
            return Files.readSymbolicLink(Paths.get("/proc", Integer.toString(pid), "exe")).toString();
        } catch (IOException e) {
            throw new AssertionError("cannot read /proc/" + pid + "/exe", e);
        }
    }

    private static int indexOf(List<Mapping> maps, long addr) {
        for (int i = 0; i < maps.size(); i++) {
            if (maps.get(i).contains(addr)) {
                return i;
            }
        }
        return -1;
    }

    private static String describe(List<Mapping> maps, long addr) {
        int i = indexOf(maps, addr);
        return i < 0 ? "no mapping" : maps.get(i).toMapsLine();
    }

    static Mapping at(List<Mapping> maps, long addr) {
        int i = indexOf(maps, addr);
        if (i < 0) {
            throw new AssertionError("no mapping contains 0x" + Long.toHexString(addr));
        }
        return maps.get(i);
    }

    /** The mapping spanning exactly {@code r}. */
    static Mapping exactly(List<Mapping> maps, Range r) {
        Mapping m = at(maps, r.lo());
        assertEquals(r.lo(), m.start(), "range " + r + " vs " + m.toMapsLine());
        assertEquals(r.hi(), m.end(), "range " + r + " vs " + m.toMapsLine());
        return m;
    }

    private static void assertHeapRange(SampleStep s, List<Mapping> maps) {
        Range heap = s.range("heap");
        if (heap.size() == 0) {
            assertTrue(maps.stream().noneMatch(m -> m.path().type() == MappingPath.Type.HEAP), s.line());
        } else {
            exactly(maps, heap);
        }
    }

    private static long pages(Range r) {
        long lo = r.lo() & -PAGE;
        long hi = (r.hi() + PAGE - 1) & -PAGE;
        return (hi - lo) / PAGE;
    }

    /** The 64-bit pagemap entries of the pages {@code r} touches. */
    private static long[] pagemap(int pid, Range r) {
        long first = Long.divideUnsigned(r.lo(), PAGE);
        int n = (int) pages(r);
        ByteBuffer buf = ByteBuffer.allocate(n * 8).order(ByteOrder.nativeOrder());
        try (FileChannel ch = FileChannel.open(Paths.get("/proc", Integer.toString(pid), "pagemap"),
                StandardOpenOption.READ)) {
            while (buf.hasRemaining()) {
                if (ch.read(buf, first * 8 + buf.position()) <= 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new AssertionError("reading /proc/" + pid + "/pagemap", e);
        }
        buf.flip();
        long[] out = new long[n];
        buf.asLongBuffer().get(out);
        return out;
    }

    private static long present(int pid, Range r) {
        return java.util.Arrays.stream(pagemap(pid, r)).filter(e -> e < 0).count();
    }

    private static long fileBitSet(int pid, Range r) {
        return java.util.Arrays.stream(pagemap(pid, r)).filter(e -> e < 0 && (e & (1L << 61)) != 0).count();
    }

    /** The PFN of each address's page (0 when not present, or for a reader without CAP_SYS_ADMIN). */
    private static long[] frames(int pid, long... addrs) {
        long[] out = new long[addrs.length];
        for (int i = 0; i < addrs.length; i++) {
            long e = pagemap(pid, new Range(addrs[i], addrs[i] + 1))[0];
            out[i] = e < 0 ? e & ((1L << 55) - 1) : 0;
        }
        return out;
    }

    /** PFNs read as 0 without CAP_SYS_ADMIN: then frame comparisons cannot be made. */
    private static boolean pfnsVisible(long[] pfns) {
        return java.util.Arrays.stream(pfns).allMatch(p -> p != 0);
    }

    /** A field (in kB) of the smaps record that starts at {@code start}. */
    private static long smapsField(int pid, long start, String field) {
        String prefix = Long.toHexString(start) + "-";
        boolean in = false;
        for (String line : read(Paths.get("/proc", Integer.toString(pid), "smaps")).split("\n")) {
            if (!line.isEmpty() && Character.isLetterOrDigit(line.charAt(0)) && line.contains("-")
                    && line.indexOf(' ') > line.indexOf('-')) {
                in = line.startsWith(prefix);
            } else if (in && line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
            }
        }
        fail("no " + field + " in the smaps record at 0x" + Long.toHexString(start));
        return -1;
    }

    private static String bracketed(String file) {
        String t = read(Paths.get(file));
        return t.substring(t.indexOf('[') + 1, t.indexOf(']'));
    }

    private static long stackGuardGapPages() {
        for (String w : read(Paths.get("/proc/cmdline")).trim().split(" ")) {
            if (w.startsWith("stack_guard_gap=")) {
                return Long.parseLong(w.substring("stack_guard_gap=".length()));
            }
        }
        return 256; // the kernel's default (mm/mmap.c)
    }

    private static Set<Integer> tasks(int pid) {
        try (Stream<Path> t = Files.list(Paths.get("/proc", Integer.toString(pid), "task"))) {
            return t.map(p -> Integer.parseInt(p.getFileName().toString())).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String read(Path p) {
        try {
            return Samples.readProcFile(p);
        } catch (IOException e) {
            throw new AssertionError("reading " + p, e);
        }
    }

    /** The raw path bytes of the maps line that starts at {@code start} (after the inode's padding). */
    private static byte[] mapsPathBytes(byte[] maps, long start) {
        byte[] prefix = (Long.toHexString(start) + "-").getBytes(StandardCharsets.US_ASCII);
        int lineStart = 0;
        while (lineStart < maps.length) {
            int end = lineStart;
            while (end < maps.length && maps[end] != '\n') {
                end++;
            }
            if (startsWith(maps, lineStart, prefix)) {
                int i = lineStart;
                for (int field = 0; field < 5; field++) { // range, perms, offset, dev, inode, then the padding
                    while (i < end && maps[i] != ' ') {
                        i++;
                    }
                    while (i < end && maps[i] == ' ') {
                        i++;
                    }
                }
                return java.util.Arrays.copyOfRange(maps, i, end);
            }
            lineStart = end + 1;
        }
        throw new AssertionError("no maps line starts at 0x" + Long.toHexString(start));
    }

    private static boolean startsWith(byte[] a, int off, byte[] prefix) {
        if (off + prefix.length > a.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (a[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] unhex(String h) {
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
