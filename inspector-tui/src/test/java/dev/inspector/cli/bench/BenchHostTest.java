package dev.inspector.cli.bench;

import dev.inspector.core.bench.BenchProbes;
import dev.inspector.core.session.Host;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

@LiveTest
class BenchHostTest {

    @Test
    void describesTheMachineAndReadsOurOwnMemory() {
        BenchProbes probes = new BenchProbes(Host.system("test"));
        String d = BenchHost.describe(probes);
        assertTrue(d.startsWith("Linux " + System.getProperty("os.version")) && d.contains(" CPUs (")
                && d.contains(", load ") && d.contains("JIT "), d);
        long rss = probes.selfStatusBytes("VmRSS");
        long hwm = probes.selfStatusBytes("VmHWM");
        assertTrue(rss > 0 && hwm >= rss, rss + " " + hwm);
        assertTrue(probes.selfStatusBytes("NoSuchField") == -1);
    }
}
