package dev.inspector.core.procfs.parse;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KPageFlagsTest {

    @Test
    void anonymousLruPage() {
        // UPTODATE | DIRTY | LRU | ACTIVE | MMAP | ANON | SWAPBACKED
        long raw = (1L << 3) | (1L << 4) | (1L << 5) | (1L << 6) | (1L << 11) | (1L << 12) | (1L << 14);
        KPageFlags f = new KPageFlags(raw);
        assertEquals(List.of("UPTODATE", "DIRTY", "LRU", "ACTIVE", "MMAP", "ANON", "SWAPBACKED"), f.names());
        assertTrue(f.has(KPageFlags.Flag.ANON));
        assertEquals(0, f.unknownBits());
        assertEquals(raw, f.raw());
    }

    @Test
    void zeroPageWithReservedBit() {
        // The zero page as seen here: ZERO_PAGE (24) and the kernel-internal RESERVED (32).
        KPageFlags f = new KPageFlags((1L << 24) | (1L << 32));
        assertEquals(List.of("ZERO_PAGE", "RESERVED"), f.names());
    }

    @Test
    void thpHeadAndUndocumentedBits() {
        KPageFlags f = new KPageFlags((1L << 15) | (1L << 22) | (1L << 50));
        assertEquals(List.of("COMPOUND_HEAD", "THP", "BIT_50"), f.names());
        assertEquals(1L << 50, f.unknownBits());
        assertEquals(List.of(KPageFlags.Flag.COMPOUND_HEAD, KPageFlags.Flag.THP), f.flags());
        assertNull(KPageFlags.flagOf(50));
    }

    @Test
    void everyDocumentedBitHasItsKernelNumber() {
        assertEquals(0, KPageFlags.Flag.LOCKED.bit);
        assertEquals(17, KPageFlags.Flag.HUGE.bit);
        assertEquals(23, KPageFlags.Flag.OFFLINE.bit);
        assertEquals(25, KPageFlags.Flag.IDLE.bit);
        assertEquals(26, KPageFlags.Flag.PGTABLE.bit);
        assertEquals(40, KPageFlags.Flag.SOFTDIRTY.bit);
        assertEquals(42, KPageFlags.Flag.ARCH_3.bit);
        for (int b = 0; b <= 26; b++) {
            assertTrue(KPageFlags.flagOf(b) != null, "bit " + b);
        }
    }
}
