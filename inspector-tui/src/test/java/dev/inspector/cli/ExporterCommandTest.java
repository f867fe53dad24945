package dev.inspector.cli;

import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.testing.Samples;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code inspector exporter} as a user meets it: its errors (one line, a documented exit code, before anything is
 * served), the endpoint of a child process over HTTP in both text formats, the cache, names that are hostile to a
 * terminal, and what an ordinary user sees.
 */
@LiveTest
@EnabledOnOs(OS.LINUX)
class ExporterCommandTest {

    private static void assertOneLineError(Cli.Result r, int code, String start) {
        assertEquals(code, r.code(), r.err());
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.get(0).startsWith("inspector: " + start), r.err());
        if (code == ExitCodes.USAGE) {
            assertEquals(List.of(lines.get(0), "Try 'inspector exporter --help' for more information."), lines);
        } else {
            assertEquals(1, lines.size(), r.err());
        }
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertEquals("", r.out());
    }

    @Test
    void badOptionsAreOneLineAndExitTwo() {
        assertOneLineError(Cli.run("exporter", "--listen", "nonsense"), ExitCodes.USAGE, "--listen takes HOST:PORT");
        assertOneLineError(Cli.run("exporter", "--listen", ":9780"), ExitCodes.USAGE, "--listen takes HOST:PORT");
        assertOneLineError(Cli.run("exporter", "--listen", "127.0.0.1:65536"), ExitCodes.USAGE, "--listen");
        assertOneLineError(Cli.run("exporter", "--listen", "::1:9780"), ExitCodes.USAGE, "--listen");
        assertOneLineError(Cli.run("exporter", "--match", "(unclosed"), ExitCodes.USAGE,
                "--match: not a regular expression");
        assertOneLineError(Cli.run("exporter", "--user", "no-such-user-here"), ExitCodes.USAGE, "--user: no user");
        assertOneLineError(Cli.run("exporter", "--by-kind", "sometimes"), ExitCodes.USAGE, "--by-kind");
        assertOneLineError(Cli.run("exporter", "--interval", "5"), ExitCodes.USAGE, "--interval");
        assertOneLineError(Cli.run("exporter", "--max-series", "3"), ExitCodes.USAGE, "--max-series");
        assertOneLineError(Cli.run("exporter", "--pid", "nope"), ExitCodes.USAGE, "Invalid value");
    }

    @Test
    void aMissingPidIsExitThree() {
        int free = 4194303;
        while (Files.exists(Paths.get("/proc", Integer.toString(free)))) {
            free--;
        }
        assertOneLineError(Cli.run("exporter", "--pid", Integer.toString(free), "--listen", "127.0.0.1:0"),
                ExitCodes.NO_SUCH_PROCESS, "no such process");
    }

    @Test
    void aPortInUseOrAnAddressNotOursIsExitTenNamingTheErrno() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Result r = Cli.run("exporter", "--listen", "127.0.0.1:" + taken.getLocalPort());
            assertOneLineError(r, ExitCodes.SYSCALL_FAILED, "bind failed: EADDRINUSE (127.0.0.1:"
                    + taken.getLocalPort() + ": another program listens there");
        }
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never an address of this machine; binding sends nothing
        assertOneLineError(Cli.run("exporter", "--listen", "192.0.2.1:9780"), ExitCodes.SYSCALL_FAILED,
                "bind failed: EADDRNOTAVAIL");
    }

    @Test
    void servesBothFormatsAndReusesOneReadWithinTheInterval() throws Exception {
        try (SampleProgram s = Samples.start("typical", "2");
             ExporterProcess e = ExporterProcess.start("--listen", "127.0.0.1:0", "--pid",
                     Integer.toString(waitReady(s)), "--interval", "1h")) {
            String pid = Integer.toString(s.pid());
            String text = e.metrics();
            assertTrue(e.stderr().get(0).contains("1 processes, 1 with per-kind series"), e.stderr().toString());
            Double heap = ExporterProcess.value(text, "inspector_region_size_bytes{comm=\"typical\",kind=\"heap\",pid=\""
                    + pid + "\"}");
            assertNotNull(heap, text);
            assertEquals(2.0, ExporterProcess.value(text, "inspector_region_mappings{comm=\"typical\","
                    + "kind=\"thread-stack\",pid=\"" + pid + "\"}"));
            // the startup read serves both scrapes: one collection, two cached scrapes
            String again = e.metrics();
            assertEquals(1.0, ExporterProcess.value(again, "inspector_exporter_collections_total"));
            assertEquals(2.0, ExporterProcess.value(again, "inspector_exporter_scrapes_total{served=\"cached\"}"));
            assertEquals(0.0, ExporterProcess.value(again, "inspector_exporter_scrapes_total{served=\"fresh\"}"));

            HttpResponse<byte[]> om = e.fetch("application/openmetrics-text; version=1.0.0; charset=utf-8");
            assertEquals(200, om.statusCode());
            assertTrue(om.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text"));
            String body = new String(om.body(), StandardCharsets.UTF_8);
            assertTrue(body.endsWith("# EOF\n"), body);
            assertTrue(body.contains("# TYPE inspector_process_minor_faults counter"), body);
            assertTrue(body.contains("# UNIT inspector_region_size_bytes bytes"), body);
            assertEquals(heap, ExporterProcess.value(body, "inspector_region_size_bytes{comm=\"typical\","
                    + "kind=\"heap\",pid=\"" + pid + "\"}"));
        }
    }

    /**
     * A process whose comm holds a double quote, a newline and an escape sequence (exec through a symlink so named):
     * the client escapes quote, backslash and newline for the format, and the control byte arrives as the text
     * {@code \x1b}, as every view of the inspector shows it; no raw control byte reaches a reader of /metrics.
     */
    @Test
    void hostileProcessNamesAreEscapedInLabelValues() throws Exception {
        Path dir = Files.createTempDirectory("inspector-odd-comm");
        Path link = dir.resolve("q\"u\no\u001b[31m");
        Files.createSymbolicLink(link, Paths.get("/bin/sleep"));
        Process p = new ProcessBuilder(link.toString(), "120").start();
        try {
            Path comm = Paths.get("/proc", Long.toString(p.pid()), "comm");
            for (int i = 0; i < 500 && !Files.readString(comm).startsWith("q"); i++) {
                Thread.sleep(10);
            }
            assertEquals("q\"u\no\u001b[31m\n", Files.readString(comm));
            try (ExporterProcess e = ExporterProcess.start("--listen", "127.0.0.1:0", "--pid",
                    Long.toString(p.pid()), "--interval", "0s")) {
                for (String accept : new String[] {null, "application/openmetrics-text; version=1.0.0"}) {
                    byte[] body = e.fetch(accept).body();
                    for (byte b : body) {
                        assertTrue(b >= 0x20 || b == '\n', "a raw control byte " + b + " in /metrics");
                    }
                    String text = new String(body, StandardCharsets.UTF_8);
                    assertTrue(text.contains("inspector_process_rss_bytes{comm=\"q\\\"u\\\\no\\\\x1b[31m\",pid=\""
                            + p.pid() + "\"}"), text);
                }
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            Files.delete(link);
            Files.delete(dir);
        }
    }

    /**
     * As uid 65534: its own process is exported, root's are counted as hidden (pid 1 is root's everywhere, and so is
     * this test JVM in the root lane), a root --pid is refused.
     */
    @Test
    void anOrdinaryUserExportsWhatItMayReadAndCountsTheRest() throws Exception {
        Assumptions.assumeTrue(Nobody.available(), Nobody.whyNot());
        try (Nobody.Target sleep = Nobody.sleep();
             ExporterProcess e = ExporterProcess.startAsNobody("--listen", "127.0.0.1:0", "--interval", "0s")) {
            String text = e.metrics();
            assertTrue(String.join("\n", e.stderr()).contains("processes are hidden: the kernel refused their memory"
                    + " files") || String.join("\n", e.stderr()).contains("process is hidden"), e.stderr().toString());
            Double rss = ExporterProcess.value(text, "inspector_process_rss_bytes{comm=\"sleep\",pid=\"" + sleep.pid()
                    + "\"}");
            assertNotNull(rss, text);
            assertTrue(rss > 0);
            assertFalse(text.contains("pid=\"1\""), "pid 1 (root's) must be hidden from nobody");
            if ((Integer) Files.getAttribute(Paths.get("/proc/self"), "unix:uid") == 0) {
                String self = Long.toString(ProcessHandle.current().pid());
                assertFalse(text.contains("pid=\"" + self + "\""), "root's test JVM must be hidden from nobody");
            }
            assertTrue(ExporterProcess.value(text, "inspector_exporter_processes_skipped{reason=\"access_denied\"}")
                    >= 1, text);
        }
        Nobody.Run refused = Nobody.cli("exporter", "--listen", "127.0.0.1:0", "--pid", "1");
        assertEquals(ExitCodes.ACCESS_DENIED, refused.code(), refused.toString());
        assertTrue(refused.err().startsWith("inspector: access denied: /proc/1/"), refused.toString());
        assertEquals(1, refused.err().lines().count(), refused.toString());
    }

    private static int waitReady(SampleProgram s) {
        s.awaitStep("ready");
        return s.pid();
    }
}
