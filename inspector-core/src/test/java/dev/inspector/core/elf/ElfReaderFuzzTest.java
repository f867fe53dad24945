package dev.inspector.core.elf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.inspector.core.BadInput;
import org.junit.jupiter.api.Tag;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the ELF reader (Jazzer). Properties: any bytes give headers or a {@link BadInput};
 * the parse reads at most {@link ElfFile.Limits#maxBytesRead()}, allocates at most that plus a fixed overhead on this
 * thread (the allocation counter, not wall time), keeps under a megabyte, and no section name is longer than the cap.
 * Inputs: {@code ElfReaderFuzzTestInputs/parse/} (hostile shapes from {@link HostileElf}, a small real executable,
 * every crash found).
 */
@Tag("jazzer")
class ElfReaderFuzzTest {

    private static final ElfFile.Limits LIMITS = ElfFile.Limits.DEFAULT;
    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static {
        // Class loading and initialisation allocate on the first caller's thread: not the parse's cost.
        for (byte[] warm : List.of(HostileElf.hugeNames(8, 300), HostileElf.noteBomb(8, 256), new byte[3])) {
            try {
                ElfFile.parse(warm, "warm-up");
            } catch (BadInput ignored) {
                // warming the rejection path too
            }
        }
    }

    @FuzzTest(maxDuration = "5m")
    void parse(byte[] data) {
        long id = Thread.currentThread().getId();
        long before = MX.getThreadAllocatedBytes(id);
        ElfFile e = null;
        try {
            e = ElfFile.parse(data, "fuzz");
        } catch (BadInput expected) {
            assertTrue(expected.getMessage().startsWith("fuzz: ") && !expected.getMessage().contains("\n"),
                    expected.getMessage());
        }
        long allocated = MX.getThreadAllocatedBytes(id) - before;
        assertTrue(allocated < LIMITS.maxBytesRead() + HostileElfTest.OVERHEAD + 4L * data.length,
                "allocated " + allocated);
        if (e != null) {
            assertTrue(e.bytesRead() <= LIMITS.maxBytesRead(), "read " + e.bytesRead());
            assertTrue(e.retainedBytes() < 1 << 20, "keeps " + e.retainedBytes());
            for (ElfFile.Section s : e.sections()) {
                assertTrue(s.name().length() <= LIMITS.maxNameBytes() + 1, "name of " + s.name().length());
            }
        }
    }
}
