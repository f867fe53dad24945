package dev.inspector.core.procfs.parse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuinfoParserTest {

    static final String TWO_CPUS = "processor\t: 0\nmodel name\t: Some CPU\nflags\t\t: fpu pse pae la57 pdpe1gb\n"
            + "address sizes\t: 46 bits physical, 57 bits virtual\n\nprocessor\t: 1\nmodel name\t: Other\n"
            + "flags\t\t: fpu\naddress sizes\t: 40 bits physical, 48 bits virtual\n";

    @Test
    void theFirstProcessorsFlagsAndAddressSizes() {
        CpuinfoParser.Cpu c = CpuinfoParser.parse(TWO_CPUS);
        assertEquals("Some CPU", c.model());
        assertTrue(c.has("la57") && c.has("pdpe1gb") && c.has("pse"));
        assertEquals(46, c.physicalBits());
        assertEquals(57, c.virtualBits());
    }

    @Test
    void withoutAnAddressSizesLineTheWidthsAreUnknown() {
        CpuinfoParser.Cpu c = CpuinfoParser.parse("processor : 0\nfeatures : fp asimd\n");
        assertEquals(-1, c.virtualBits());
        assertFalse(c.has("la57"));
        assertEquals("model unknown", c.model());
    }
}
