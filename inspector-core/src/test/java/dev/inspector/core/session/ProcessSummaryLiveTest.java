package dev.inspector.core.session;

import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.NoSuchProcess;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.demo.SampleStep;
import dev.inspector.core.model.ProcessIdentity;
import dev.inspector.core.model.ProcessSummary;
import dev.inspector.core.testing.Live;
import dev.inspector.core.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cheap per-process read (identity and summary) against the kernel's files read here with plain text handling:
 * a stopped sample, a kernel thread, a pid that does not exist.
 */
@LiveTest
@EnabledOnOs(OS.LINUX)
class ProcessSummaryLiveTest {

    @Test
    void aStoppedProcessSummaryIsWhatItsProcFilesSay() throws Exception {
        try (SampleProgram s = Samples.start("typical", "3")) {
            SampleStep ready = s.awaitStep("ready");
            int pid = s.pid();
            InspectionSession session = Live.host().session(pid);
            ProcessIdentity id = session.identity();
            ProcessSummary sum = session.summary();

            Path dir = Paths.get("/proc", Integer.toString(pid));
            assertEquals("typical", id.comm());
            assertEquals(List.of(s.command().get(0), "3"), id.cmdline());
            assertEquals(Files.getAttribute(dir, "unix:uid"), id.uid());
            assertFalse(id.kernelThread());
            assertEquals(id, sum.identity());

            // stat after the last ')': state is field 3, minflt 10, majflt 12, num_threads 20, starttime 22
            String stat = Samples.readProcFile(dir.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            assertEquals('T', sum.state());
            assertEquals(Long.parseLong(f[10 - 3]), sum.minorFaults());
            assertEquals(Long.parseLong(f[12 - 3]), sum.majorFaults());
            assertEquals(ready.number("threads") + 1, sum.threads());
            assertEquals(Long.parseLong(f[20 - 3]), sum.threads());
            assertEquals(Long.parseLong(f[22 - 3]), id.startTime());

            assertEquals(Files.readAllLines(dir.resolve("maps")).size(), sum.mappings());
            Map<String, Long> rollup = kib(Samples.readProcFile(dir.resolve("smaps_rollup")));
            assertNotNull(sum.rollup());
            assertEquals(rollup.get("Rss") * 1024, sum.rollup().rss());
            assertEquals(rollup.get("Swap") * 1024, sum.rollup().swap());
            assertEquals(rollup.get("Private_Dirty") * 1024, sum.rollup().get("Private_Dirty"));
            // and the kernel's rollup is the sum of its per-mapping figures (stopped: nothing moves)
            assertEquals(kibSum(Samples.readProcFile(dir.resolve("smaps")), "Rss") * 1024, sum.rollup().rss());
            assertEquals(kib(Samples.readProcFile(dir.resolve("status"))).get("VmSize") * 1024,
                    sum.statusMemory().get("VmSize"));
        }
    }

    @Test
    void aKernelThreadHasNoAddressSpace() {
        // kthreadd is pid 2 wherever the kernel runs in this pid namespace (a container sees none)
        Path comm = Paths.get("/proc/2/comm");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(comm), "no pid 2 in this pid namespace");
        ProcessSummary sum = Live.host().session(2).summary();
        assertTrue(sum.identity().kernelThread());
        assertNull(sum.rollup());
        assertEquals(0, sum.mappings());
        assertEquals(List.of(), sum.identity().cmdline());
    }

    @Test
    void aPidThatDoesNotExistIsNoSuchProcess() {
        int free = unusedPid();
        assertThrows(NoSuchProcess.class, () -> Live.host().session(free).identity());
        assertThrows(NoSuchProcess.class, () -> Live.host().session(free).summary());
    }

    @Test
    void pidsListsThisProcessAndIsSorted() {
        List<Integer> pids = Live.host().pids();
        assertTrue(pids.contains((int) ProcessHandle.current().pid()), pids.toString());
        for (int i = 1; i < pids.size(); i++) {
            assertTrue(pids.get(i - 1) < pids.get(i));
        }
        assertEquals("root", Live.host().users().get(0));
    }

    static int unusedPid() {
        int max = 4194304;
        for (int p = max - 1; p > 1; p--) {
            if (!Files.exists(Paths.get("/proc", Integer.toString(p)))) {
                return p;
            }
        }
        throw new AssertionError("every pid is in use");
    }

    /** "Key:   N kB" lines of a proc file, in KiB. */
    static Map<String, Long> kib(String text) {
        Map<String, Long> m = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 3 && w[0].endsWith(":") && w[2].equals("kB")) {
                m.put(w[0].substring(0, w[0].length() - 1), Long.parseLong(w[1]));
            }
        }
        return m;
    }

    /** The sum of one "Key: N kB" field over every record of smaps, in KiB. */
    static long kibSum(String smaps, String key) {
        long sum = 0;
        for (String line : smaps.split("\n")) {
            if (line.startsWith(key + ":")) {
                sum += Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
            }
        }
        return sum;
    }
}
