package dev.inspector.core.residency;

import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.PageRun;
import dev.inspector.core.model.Residency;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.sys.Sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Helpers for live residency tests on the test JVM's own memory. */
final class Lab {

    static final int PAGE = Sys.pageSize();
    static final int PID = (int) ProcessHandle.current().pid();

    private Lab() {
    }

    /**
     * Maps {@code pages} read-write private anonymous pages fenced by a PROT_NONE page on each side, so the kernel
     * cannot merge the region's VMA with a neighbour. Returns the start of the usable region.
     */
    static long fencedRegion(long pages, int extraFlags) {
        long base = Sys.mmap((pages + 2) * PAGE, Sys.PROT_READ | Sys.PROT_WRITE, Sys.MAP_PRIVATE | extraFlags);
        Sys.mprotect(base, PAGE, Sys.PROT_NONE);
        Sys.mprotect(base + (pages + 1) * PAGE, PAGE, Sys.PROT_NONE);
        long start = base + PAGE;
        Sys.madvise(start, pages * PAGE, Sys.MADV_NOHUGEPAGE);
        return start;
    }

    static void unmapFenced(long start, long pages) {
        Sys.munmap(start - PAGE, (pages + 2) * PAGE);
    }

    /** The maps line starting exactly at {@code start}. */
    static Mapping mappingAt(long start) {
        for (Mapping m : ProcFs.system().maps(PID)) {
            if (m.start() == start) {
                return m;
            }
        }
        throw new AssertionError("no mapping starts at 0x" + Long.toHexString(start));
    }

    /** Rss of the smaps record starting at {@code start}, in kB (minimal reader for the cross-check). */
    static long smapsRssKb(int pid, long start) throws IOException {
        String head = Long.toHexString(start) + "-";
        boolean in = false;
        for (String line : Files.readAllLines(Paths.get("/proc/" + pid + "/smaps"))) {
            if (!in) {
                in = line.startsWith(head);
            } else if (line.startsWith("Rss:")) {
                return Long.parseLong(line.substring(4).replace("kB", "").trim());
            }
        }
        throw new AssertionError("no smaps record for 0x" + Long.toHexString(start));
    }

    /** Fails unless the two results are identical on everything both paths can observe. */
    static void assertAgree(MappingResidency scan, MappingResidency read) {
        String what = scan.mapping().toMapsLine();
        int common = scan.knownFlags() & read.knownFlags();
        Residency a = scan.residency();
        Residency b = read.residency();
        assertEquals(a.pages(), b.pages(), "pages of " + what);
        assertEquals(a.present(), b.present(), "present of " + what);
        assertEquals(a.swapped(), b.swapped(), "swapped of " + what);
        assertEquals(a.untouched(), b.untouched(), "untouched of " + what);
        assertEquals(a.file(), b.file(), "file of " + what);
        if ((common & PageRun.ZERO) != 0) {
            assertEquals(a.zeroPage(), b.zeroPage(), "zero page of " + what);
        }
        if ((common & PageRun.SOFT_DIRTY) != 0) {
            assertEquals(a.softDirty(), b.softDirty(), "soft-dirty of " + what);
        }
        if (scan.runs() != null && read.runs() != null) {
            assertEquals(PageRuns.normalize(scan.runs(), common), PageRuns.normalize(read.runs(), common),
                    "runs of " + what);
        }
    }
}
