package dev.inspector.cli;

import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.demo.SampleStep;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.Samples;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@LiveTest
class MapsCommandTest {

    /** The typical sample, stopped at its ready step: heap, a 4 MiB malloc chunk, three blocked threads. */
    @Test
    void classifiesATypicalProcessAndTotalsMatchTheRollup() throws Exception {
        try (SampleProgram s = Samples.start("typical", "3")) {
            SampleStep ready = s.awaitStep("ready");
            Map<String, Long> before = rollupKiB(s.pid());
            Cli.Result r = Cli.run("maps", Integer.toString(s.pid()), "--kib", "--color=never");
            assertEquals(0, r.code(), r.err());
            List<String> lines = r.out().lines().collect(Collectors.toList());
            assertTrue(lines.get(0).matches(" *N\\s+START\\s+END\\s+SIZE\\s+PERM\\s+RSS\\s+PSS\\s+SWAP\\s+THP\\s+KIND\\s+NAME"),
                    lines.get(0));
            String heapLine = rowContaining(lines, Long.toHexString(ready.addr("heap_chunk")));
            assertTrue(heapLine.contains(" heap ") && heapLine.endsWith("[heap]"), heapLine);
            // every thread's stack local lies in a row classified as that thread's stack
            for (int i = 0; i < 3; i++) {
                String tid = ready.value("tid." + i);
                String row = rowContaining(lines, Long.toHexString(ready.addr("thread_stack." + i)));
                assertTrue(row.contains("thread-stack tid=" + tid), row);
            }
            assertTrue(lines.stream().anyMatch(l -> l.contains(" text ") && l.contains(".text")
                    && l.endsWith("/typical")), r.out());
            // The totals line carries the kernel's smaps_rollup figures, read now from /proc (in KiB).
            Map<String, Long> rollup = rollupKiB(s.pid());
            String total = lines.get(lines.size() - 1);
            assertTrue(total.startsWith("total (smaps_rollup): " + (lines.size() - 2) + " mappings"), total);
            assertTrue(total.contains("rss " + rollup.get("Rss") + ","), total + " vs " + rollup);
            // PSS shares each page among the processes mapping it, so it moves while others start and exit (a build
            // beside the test) even though this process is stopped: the figure printed lies between the two reads.
            long pss = Long.parseLong(total.replaceAll(".*, pss (\\d+),.*", "$1"));
            assertTrue(pss >= Math.min(before.get("Pss"), rollup.get("Pss"))
                    && pss <= Math.max(before.get("Pss"), rollup.get("Pss")), total + " vs " + before + " and " + rollup);
            assertTrue(total.contains("swap " + rollup.get("Swap") + ", thp " + rollup.get("AnonHugePages")),
                    total + " vs " + rollup);
            // and the per-row RSS column sums to the same figure: the process is stopped, nothing changes
            long sum = 0;
            for (String l : lines.subList(1, lines.size() - 1)) {
                sum += Long.parseLong(l.trim().split("\\s+")[5]);
            }
            assertEquals(rollup.get("Rss"), sum);
        }
    }

    private static String rowContaining(List<String> lines, String hexAddr) {
        long a = Long.parseUnsignedLong(hexAddr, 16);
        for (String l : lines.subList(1, lines.size() - 1)) {
            String[] f = l.trim().split("\\s+");
            long lo = Long.parseUnsignedLong(f[1], 16);
            long hi = Long.parseUnsignedLong(f[2], 16);
            if (Long.compareUnsigned(a, lo) >= 0 && Long.compareUnsigned(a, hi) < 0) {
                return l;
            }
        }
        throw new AssertionError("no row holds " + hexAddr);
    }

    private static Map<String, Long> rollupKiB(int pid) throws IOException {
        String text = Samples.readProcFile(Paths.get("/proc/" + pid + "/smaps_rollup"));
        return text.lines().filter(l -> l.endsWith(" kB"))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(':')),
                    l -> Long.parseLong(l.substring(l.indexOf(':') + 1, l.length() - 3).trim())));
    }

    @Test
    void filtersByKindAndPermission() throws Exception {
        Cli.Result r = Cli.run("maps", "self", "--kind", "text,heap", "--color=never");
        assertEquals(0, r.code(), r.err());
        List<String> rows = r.out().lines().skip(1).collect(Collectors.toList());
        rows = rows.subList(0, rows.size() - 1);
        assertFalse(rows.isEmpty());
        for (String l : rows) {
            String kind = l.trim().split("\\s+")[9];
            assertTrue(kind.equals("text") || kind.equals("heap"), l);
        }
        Cli.Result w = Cli.run("maps", "self", "-p", "wx", "--color=never");
        assertEquals(0, w.code(), w.err());
        w.out().lines().skip(1).filter(l -> !l.startsWith("total")).forEach(l ->
                assertTrue(l.trim().split("\\s+")[4].matches("-?.wx.|rwx."), l));
        assertTrue(w.out().lines().reduce((a, b) -> b).orElseThrow().startsWith("total of shown:"));
    }

    @Test
    void namesFromTheTargetAreEscaped() throws Exception {
        Path dir = Files.createTempDirectory("inspector esc");
        Path evil = dir.resolve("evil\u001b[31mred\nline");
        Files.write(evil, new byte[4096]);
        // python maps the file and sleeps: its maps line carries the escape sequence and the newline (as \012)
        Process p = new ProcessBuilder("python3", "-c",
                "import mmap,sys,time\nf=open(sys.argv[1],'rb')\nm=mmap.mmap(f.fileno(),4096,prot=mmap.PROT_READ)\n"
                        + "print('ok',flush=True)\ntime.sleep(60)", evil.toString()).start();
        try {
            assertEquals("ok", new String(p.getInputStream().readNBytes(2)));
            Cli.Result r = Cli.run("maps", Long.toString(p.pid()), "--color=never");
            assertEquals(0, r.code(), r.err());
            assertFalse(r.out().contains("\u001b"), "raw escape reached the terminal");
            assertTrue(r.out().contains("evil\\x1b[31mred\\nline"), r.out());
            // pages and translate decode the kernel's \012 and escape the name the same way
            String start = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Cli.run("maps",
                    Long.toString(p.pid()), "--json", "--name", "evil").out()).get("regions").get(0).get("mapping")
                    .get("start").asText();
            for (Cli.Result other : List.of(Cli.run("pages", Long.toString(p.pid()), "--color=never"),
                    Cli.run("translate", Long.toString(p.pid()), start, "--color=never"))) {
                assertEquals(0, other.code(), other.err());
                assertFalse(other.out().contains("\u001b"), "raw escape reached the terminal: " + other.out());
                assertTrue(other.out().contains("evil\\x1b[31mred\\nline"), other.out());
                assertFalse(other.out().contains("\\012"), "the kernel's escape, undecoded: " + other.out());
            }
        } finally {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(evil);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void errorsAreOneLineWithTheirExitCode() throws Exception {
        Cli.Result usage = Cli.run("maps", "abc");
        assertEquals(ExitCodes.USAGE, usage.code());
        assertTrue(usage.err().startsWith("inspector: 'abc' is not a process id"), usage.err());

        int pidMax = Integer.parseInt(Samples.readProcFile(Paths.get("/proc/sys/kernel/pid_max")).trim());
        Cli.Result missing = Cli.run("maps", Integer.toString(pidMax + 1));
        assertEquals(ExitCodes.NO_SUCH_PROCESS, missing.code());
        assertEquals("inspector: no such process: " + (pidMax + 1) + System.lineSeparator(), missing.err());

        Cli.Result kind = Cli.run("maps", "self", "--kind", "nonsense");
        assertEquals(ExitCodes.USAGE, kind.code());
        assertTrue(kind.err().startsWith("inspector: unknown kind 'nonsense'"), kind.err());
    }

    @Test
    void aProcessThatExitsIsReportedAsGoneOrMissingNeverAsACrash() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor(5, TimeUnit.SECONDS);
        Cli.Result r = Cli.run("maps", Long.toString(p.pid()));
        assertTrue(r.code() == ExitCodes.NO_SUCH_PROCESS || r.code() == ExitCodes.PROCESS_EXITED, r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    /** Standard output like a pipe whose reader exited after {@code limit} bytes ('| head'), or a full disk. */
}
