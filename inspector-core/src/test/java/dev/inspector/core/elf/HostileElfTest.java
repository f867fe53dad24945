package dev.inspector.core.elf;

import dev.inspector.core.BadInput;
import dev.inspector.core.InspectorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hostile ELF files ({@link HostileElf}) cost a bounded amount whatever they claim: the bytes read stay within
 * {@link ElfFile.Limits#maxBytesRead()} (reads are what take time: the parse loops are bounded by the header caps),
 * the bytes allocated on the reading thread stay within the read budget plus a fixed overhead, the heap kept is under
 * a megabyte, and whatever was cut is said in {@link ElfFile#cuts()}. Measured with the thread's allocation counter,
 * not wall time.
 */
@EnabledOnOs(OS.LINUX)
class HostileElfTest {

    static final ElfFile.Limits LIMITS = ElfFile.Limits.DEFAULT;
    /** Object headers, arrays of 4096 header fields, 4096 Section records, the name map: well under 2 MiB. */
    static final long OVERHEAD = 2L << 20;

    @TempDir
    Path tmp;

    static long allocated(Runnable r) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        r.run();
        return mx.getThreadAllocatedBytes(id) - before;
    }

    /** Reads {@code img} from a real file (the production path: O_PATH, statx, pread) and checks the bounds. */
    private ElfFile readBounded(String name, byte[] img) throws Exception {
        Path p = tmp.resolve(name);
        Files.write(p, img);
        ElfFile[] out = new ElfFile[1];
        long a = allocated(() -> {
            try {
                out[0] = ElfFile.read(p);
            } catch (BadInput e) {
                assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), "one line");
            }
        });
        assertTrue(a < LIMITS.maxBytesRead() + OVERHEAD, name + ": allocated " + a + " bytes");
        if (out[0] != null) {
            ElfFile e = out[0];
            assertTrue(e.bytesRead() <= LIMITS.maxBytesRead(), name + ": read " + e.bytesRead());
            assertTrue(e.retainedBytes() < 1 << 20, name + ": keeps " + e.retainedBytes());
            for (ElfFile.Section s : e.sections()) {
                assertTrue(s.name().length() <= LIMITS.maxNameBytes() + 1, name + ": a name of " + s.name().length());
            }
            assertTrue(e.cuts().size() <= 16, name + ": " + e.cuts().size() + " cut lines");
        }
        return out[0];
    }

    @Test
    void theOriginalHugeNameFileIsReadWithinBoundsAndSaysWhatWasCut() throws Exception {
        byte[] img = HostileElf.hugeNames(4096, 1 << 20);
        assertTrue(img.length > 1_300_000 && img.length < 1_400_000, "the 1.3 MB file of the report");
        ElfFile e = readBounded("huge-names.so", img);
        assertEquals(4096, e.sections().size());
        assertEquals(1, e.loads().size());
        String name = e.sections().get(1).name();
        assertEquals("A".repeat(LIMITS.maxNameBytes()) + "\u2026", name);
        assertTrue(e.cuts().stream().anyMatch(c -> c.contains("section names longer than " + LIMITS.maxNameBytes()
                + " bytes cut")), e.cuts().toString());
        // One shared string, not 4094 copies of it.
        assertTrue(e.sections().get(1).name() == e.sections().get(2).name(), "names shared by offset");
    }

    @Test
    void distinctNamesStopBeingKeptPastTheNameBudget() throws Exception {
        ElfFile e = readBounded("distinct.so", HostileElf.distinctNames(4096, 200));
        long named = e.sections().stream().filter(s -> !s.name().startsWith("#")).count();
        long kept = e.sections().stream().filter(s -> !s.name().startsWith("#")).mapToLong(s -> s.name().length())
                .sum();
        assertTrue(kept <= LIMITS.maxNameTableKept() + LIMITS.maxNameBytes() + 1, "kept " + kept);
        assertTrue(named < 4096, named + " named");
        assertTrue(e.cuts().stream().anyMatch(c -> c.contains("bytes of names kept per file")), e.cuts().toString());
        assertTrue(e.cuts().stream().anyMatch(c -> c.contains("longer than")), e.cuts().toString());
    }

    @Test
    void aNoteBombIsReadUpToTheBudgetOnce() throws Exception {
        ElfFile e = readBounded("notes.so", HostileElf.noteBomb(4096, 1 << 20));
        assertTrue(e.bytesRead() <= LIMITS.maxBytesRead(), "read " + e.bytesRead());
        assertTrue(e.buildId().isEmpty());
        assertEquals(1, e.cuts().stream().filter(c -> c.contains("read budget")).count(), e.cuts().toString());
        // The first three 1 MiB areas fit the 4 MiB budget after the headers; the other 4092 are counted in one line.
        assertTrue(e.cuts().stream().anyMatch(c -> c.startsWith("4092 note areas not scanned")), e.cuts().toString());
    }

    @Test
    void brokenCountsTablesAndIndexesCostLittleAndAreSaid() throws Exception {
        List<byte[]> cases = new ArrayList<>();
        cases.add(HostileElf.overlapping());
        cases.add(HostileElf.countsPastFile());
        cases.add(HostileElf.phnumPastFile());
        cases.addAll(HostileElf.shstrndxOutOfRange());
        cases.addAll(HostileElf.otherClassAndOrder());
        int i = 0;
        for (byte[] img : cases) {
            ElfFile e = readBounded("case" + i++, img);
            if (e != null && e.sections().isEmpty()) {
                assertTrue(e.cuts().stream().anyMatch(c -> c.startsWith("section headers not used")),
                        "case " + (i - 1) + ": " + e.cuts());
            }
        }
        // The section count past the file: the segments survive, the sections are dropped and that is said.
        ElfFile counts = ElfFile.parse(HostileElf.countsPastFile(), "counts");
        assertEquals(1, counts.loads().size());
        assertTrue(counts.sections().isEmpty());
        assertTrue(counts.cuts().get(0).contains("over the cap of 4096"), counts.cuts().toString());
        ElfFile strndx = ElfFile.parse(HostileElf.shstrndxOutOfRange().get(0), "strndx");
        assertTrue(strndx.cuts().get(0).contains("e_shstrndx 65534 is not below the section count 8"),
                strndx.cuts().toString());
        // 32-bit and big-endian: one clear line each.
        for (byte[] img : HostileElf.otherClassAndOrder()) {
            String msg = assertThrowsBad(img);
            assertTrue(msg.contains("32-bit") || msg.contains("big-endian"), msg);
        }
    }

    @Test
    void truncationsAtEveryBoundaryAreRejectedOrCutNeverThrownOtherwise() throws Exception {
        int n = 0;
        for (byte[] base : List.of(HostileElf.hugeNames(64, 4096), HostileElf.noteBomb(16, 4096),
                HostileElf.distinctNames(32, 16))) {
            for (byte[] cut : HostileElf.truncations(base)) {
                try {
                    readBounded("cut" + n++, cut);
                } catch (InspectorException e) {
                    fail("a typed error escaped the bounded read: " + e);
                }
            }
        }
        assertTrue(n > 40, n + " truncations");
    }

    private static String assertThrowsBad(byte[] img) {
        try {
            ElfFile.parse(img, "img");
        } catch (BadInput e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted");
    }
}
