package dev.inspector.present;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FormatTest {
    @Test
    void sizesUseBinaryUnits() {
        assertEquals("0", Format.size(0));
        assertEquals("1023", Format.size(1023));
        assertEquals("4K", Format.size(4096));
        assertEquals("132K", Format.size(132 * 1024));
        assertEquals("1.5M", Format.size(1536 * 1024));
        assertEquals("8G", Format.size(8L << 30));
        assertEquals("-4K", Format.size(-4096));
        assertEquals("+4K", Format.delta(4096));
        // a value that rounds to 1024 of a unit reads in the next one
        assertEquals("1.0G", Format.size((1L << 30) - (300L << 10)));
        assertEquals("1.0M", Format.size((1L << 20) - 100));
        assertEquals("1023M", Format.size(1023L << 20));
        assertEquals("1000K", Format.size(1000L << 10));
    }

    @Test
    void addressesAreUnsigned() {
        assertEquals("ffffffffff600000", Format.addr(0xffffffffff600000L));
        assertEquals("000000400000", Format.addr(0x400000));
        assertEquals("0xffffffffff600000", Format.hex(0xffffffffff600000L));
    }
}
