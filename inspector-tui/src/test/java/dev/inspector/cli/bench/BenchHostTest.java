package dev.inspector.cli.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchHostTest {

    @Test
    void statusFieldsAreBytes() {
        String status = "Name:\tjava\nVmHWM:\t  123456 kB\nVmRSS:\t   100 kB\nThreads:\t12\n";
        assertEquals(123456L * 1024, BenchHost.statusField(status, "VmHWM"));
        assertEquals(100L * 1024, BenchHost.statusField(status, "VmRSS"));
        assertEquals(-1, BenchHost.statusField(status, "VmSwap"));
        assertTrue(BenchHost.selfStatusBytes("VmRSS") > 0);
    }
}
