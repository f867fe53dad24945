package dev.inspector.cli.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleProcessTest {

    @Test
    void stepLinesParseAndOtherLinesAreSkipped() {
        SampleProcess.Step s = SampleProcess.Step.parse("@@STEP 1 ready pid=4242 range.sparse=0x7f00-0x7f10 "
                + "stride_pages=16").orElseThrow();
        assertEquals(1, s.number());
        assertEquals("ready", s.name());
        assertEquals(Map.of("pid", "4242", "range.sparse", "0x7f00-0x7f10", "stride_pages", "16"), s.fields());
        assertEquals(Optional.empty(), SampleProcess.Step.parse("hello"));
        assertThrows(IllegalStateException.class, () -> SampleProcess.Step.parse("@@STEP 1 ready nopid"));
        assertThrows(IllegalStateException.class, () -> SampleProcess.Step.parse("@@STEP x ready pid=1"));
        assertThrows(IllegalStateException.class, () -> SampleProcess.fields(new String[] {"a=1", "b"}, 0));
    }

    @Test
    void samplesAreFoundAboveAStartingDirectory(@TempDir Path tmp) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("native-samples/target/bin"));
        Path deep = Files.createDirectories(tmp.resolve("inspector-tui/target"));
        assertEquals(Optional.of(bin), SampleProcess.findAbove(deep));
        assertEquals(Optional.of(bin), SampleProcess.findAbove(tmp));
        assertEquals(Path.of("/given"), SampleProcess.locate(Path.of("/given")).orElseThrow());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SampleProcess.program(bin, "sparse_big"));
        assertTrue(e.getMessage().contains("mvn -pl native-samples compile"), e.getMessage());
    }

    @Test
    void stateFollowsTheLastParenthesis(@TempDir Path tmp) throws Exception {
        Path stat = tmp.resolve("stat");
        Files.writeString(stat, "42 (odd) name) T 1 42 42 0 -1");
        assertEquals('T', SampleProcess.state(stat));
        assertEquals('?', SampleProcess.state(tmp.resolve("missing")));
    }

    /** The real many_vmas: it stops at ready, is stopped while we look, and is gone after close(). */
    @Test
    @EnabledOnOs(OS.LINUX)
    void aSampleStopsAtItsStepAndIsTerminatedOnClose() throws Exception {
        Path dir = SampleProcess.locate(null).orElseThrow();
        int pid;
        try (SampleProcess s = SampleProcess.start(dir, "many_vmas", "3")) {
            Map<String, String> ready = s.awaitStep("ready", Duration.ofSeconds(30));
            pid = s.pid();
            assertEquals(Integer.toString(pid), ready.get("pid"));
            assertEquals("3", ready.get("bulk"));
            assertEquals('T', SampleProcess.state(Path.of("/proc", Integer.toString(pid), "stat")));
        }
        // close() waited for it, so it is reaped: no zombie left either
        assertFalse(Files.exists(Path.of("/proc", Integer.toString(pid))), "sample " + pid + " outlived close()");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aReferenceReaderRunsToCompletion() {
        Path dir = SampleProcess.locate(null).orElseThrow();
        String self = Long.toString(ProcessHandle.current().pid());
        SampleProcess.Run r = SampleProcess.run(dir, Duration.ofSeconds(30), "pagemap_pread_ref", self);
        assertEquals(0, r.status(), r.stderr());
        assertTrue(Long.parseLong(r.fields().get("pages")) > 0, r.stdout());
        assertTrue(r.wallNs() >= Long.parseLong(r.fields().get("elapsed_ns")), r.toString());
    }

    @Test
    void statusFieldsAreBytes() {
        String status = "Name:\tjava\nVmHWM:\t  123456 kB\nVmRSS:\t   100 kB\nThreads:\t12\n";
        assertEquals(123456L * 1024, BenchHost.statusField(status, "VmHWM"));
        assertEquals(100L * 1024, BenchHost.statusField(status, "VmRSS"));
        assertEquals(-1, BenchHost.statusField(status, "VmSwap"));
        assertTrue(BenchHost.selfStatusBytes("VmRSS") > 0);
    }
}
