package dev.inspector.core.procfs.parse;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PagemapEntryTest {

    @Test
    void presentExclusiveAnonymousPage() {
        // A written private anonymous page as root reads it: bits 63 and 56, PFN 0x12ba4b.
        PagemapEntry e = PagemapEntry.of(0x810000000012ba4bL, true);
        assertTrue(e.present());
        assertFalse(e.swapped());
        assertTrue(e.exclusive());
        assertFalse(e.fileOrSharedAnon());
        assertFalse(e.softDirty());
        assertEquals(PagemapEntry.Frame.KNOWN, e.frame());
        assertEquals(0x12ba4bL, e.pfn());
        assertEquals(-1, e.swapType());
        assertEquals(List.of("present", "exclusive"), e.flagNames());
    }

    @Test
    void framesHiddenWithoutCapSysAdminAreNotZero() {
        PagemapEntry e = PagemapEntry.of(0x8100000000000000L, false);
        assertTrue(e.present());
        assertEquals(PagemapEntry.Frame.HIDDEN, e.frame());
        assertEquals(-1, e.pfn());
        assertTrue(e.toString().contains("hidden"));
    }

    @Test
    void filePageAndZeroPage() {
        PagemapEntry file = PagemapEntry.of((1L << 63) | (1L << 61) | 0x125e63L, true);
        assertTrue(file.fileOrSharedAnon());
        assertFalse(file.exclusive());
        assertEquals(0x125e63L, file.pfn());
        PagemapEntry zero = PagemapEntry.of((1L << 63) | 0x3b34L, true);
        assertEquals(0x3b34L, zero.pfn());
        assertFalse(zero.fileOrSharedAnon());
    }

    @Test
    void swappedEntryCarriesTypeAndOffset() {
        long raw = (1L << 62) | (0x1234L << 5) | 3;
        PagemapEntry e = PagemapEntry.of(raw, true);
        assertTrue(e.swapped());
        assertFalse(e.present());
        assertEquals(3, e.swapType());
        assertEquals(0x1234L, e.swapOffset());
        assertEquals(-1, e.pfn());
        assertEquals(-1, PagemapEntry.of(raw, false).swapOffset());
        assertEquals(PagemapEntry.Frame.HIDDEN, PagemapEntry.of(raw, false).frame());
    }

    @Test
    void markerBits() {
        PagemapEntry guard = PagemapEntry.of(1L << 58, true);
        assertTrue(guard.guard());
        assertTrue(guard.untouched());
        assertEquals(PagemapEntry.Frame.NONE, guard.frame());
        assertTrue(PagemapEntry.of(1L << 57, true).uffdWp());
        assertTrue(PagemapEntry.of((1L << 63) | (1L << 55), true).softDirty());
        assertTrue(PagemapEntry.of(1L << 59, true).reservedBitsSet());
        assertTrue(PagemapEntry.of(0, true).untouched());
        assertEquals(PagemapEntry.Frame.NONE, PagemapEntry.of(0, false).frame());
    }

    @Test
    void littleEndianBytes() {
        byte[] b = {0x4b, (byte) 0xba, 0x12, 0, 0, 0, 0, (byte) 0x81};
        assertEquals(0x810000000012ba4bL, PagemapEntry.rawFromBytes(b, 0));
    }
}
