package dev.inspector.core.demo;

import dev.inspector.core.ProcessGone;
import dev.inspector.core.SampleFailed;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real samples, driven through their STEP protocol; expectations come from what each sample announced. */
@EnabledOnOs(OS.LINUX)
@LiveTest
class SampleProgramLiveTest {

    private static final Duration EXIT = Duration.ofSeconds(30);
    private static final SampleDirectory SAMPLES = SampleDirectory.locate();

    @Test
    void typicalStopsAtEachStepInOrderWithEveryThreadStopped() throws IOException {
        try (SampleProgram s = SAMPLES.start("typical", "2")) {
            SampleStep ready = s.awaitStep("ready");
            assertEquals(1, ready.number());
            assertEquals(s.pid(), ready.pid());
            assertEquals(2, ready.number("threads"));
            List<Integer> tids = tids(s.pid());
            assertEquals(3, tids.size(), "main and the two workers");
            for (int tid : tids) {
                assertEquals('T', SampleProgram.state(tid), "thread " + tid + " at ready");
            }
            s.cont();
            SampleStep done = s.awaitStep("done");
            assertEquals(2, done.number());
            assertEquals('T', SampleProgram.state(s.pid()));
            s.cont();
            assertEquals(0, s.awaitExit(EXIT), s.stderr());
            assertEquals(List.of(ready.line(), done.line()), s.stdoutLines().stream()
                    .filter(SampleStep::isStep).collect(Collectors.toList()));
        }
    }

    @Test
    void runToPassesOverOtherSteps() {
        try (SampleProgram s = SAMPLES.start("many_vmas", "10")) {
            SampleStep done = s.runTo("done");
            assertEquals(2, done.number());
            assertEquals('T', SampleProgram.state(s.pid()));
            assertEquals(2, s.stdoutLines().stream().filter(SampleStep::isStep).count());
            s.cont();
            assertEquals(0, s.awaitExit(EXIT), s.stderr());
        }
    }

    @Test
    void anotherStepThanTheAwaitedOneIsSampleFailed() {
        try (SampleProgram s = SAMPLES.start("typical", "1")) {
            SampleFailed e = assertThrows(SampleFailed.class, () -> s.awaitStep("done"));
            assertTrue(e.getMessage().contains("announced step 'ready' where step 'done' was awaited"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("pid " + s.pid()), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void aHeldSampleRunsOnOnlyWhenItsStdinCloses() throws InterruptedException {
        try (SampleProgram s = SAMPLES.start(Map.of("SAMPLE_NOPAUSE", "1", "SAMPLE_HOLD", "1"), "typical", "1")) {
            SampleStep ready = s.awaitStep("ready");
            Thread.sleep(200);
            assertEquals('S', SampleProgram.state(s.pid()), "no stop in batch mode: blocked reading stdin");
            SampleFailed late = assertThrows(SampleFailed.class, () -> s.awaitStep("done", Duration.ofMillis(300)));
            assertTrue(late.getMessage().contains("did not reach step 'done' within 0.3 s (state S)"),
                    late.getMessage());
            assertEquals(List.of(ready.line()), s.stdoutLines());
            s.releaseHold();
            s.awaitStep("done");
            assertEquals(0, s.awaitExit(EXIT), s.stderr());
        }
    }

    @Test
    void closeEndsAStoppedSampleAndLeavesNoProcess() {
        int pid;
        SampleProgram s = SAMPLES.start("typical", "3");
        try (s) {
            s.awaitStep("ready");
            pid = s.pid();
            SampleFailed stillThere = assertThrows(SampleFailed.class, () -> s.awaitExit(Duration.ofMillis(200)));
            assertTrue(stillThere.getMessage().contains("did not exit within 0.2 s (state T)"),
                    stillThere.getMessage());
        }
        // close() waited for it, so it is reaped: no zombie left either
        assertFalse(Files.exists(Path.of("/proc", Integer.toString(pid))), "sample " + pid + " outlived close()");
        assertEquals('?', SampleProgram.state(pid));
        s.close(); // a second close is a no-op
    }

    @Test
    void aSampleThatExitsBeforeItsStepIsProcessGoneWithItsStderr() {
        try (SampleProgram s = SAMPLES.start("many_vmas", "0")) {
            ProcessGone e = assertThrows(ProcessGone.class, () -> s.awaitStep("ready"));
            assertEquals(s.pid(), e.pid());
            assertTrue(e.getMessage().contains("exited with status 2 before step 'ready'"), e.getMessage());
            String stderr = s.stderr().strip();
            assertFalse(stderr.isEmpty());
            assertTrue(e.getMessage().contains(stderr.substring(stderr.lastIndexOf('\n') + 1)), e.getMessage());
        }
    }

    @Test
    void aReferenceReaderRunsToCompletion() {
        String self = Long.toString(ProcessHandle.current().pid());
        ProgramRun r = SAMPLES.run(EXIT, "pagemap_pread_ref", self);
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals(List.of(SAMPLES.program("pagemap_pread_ref").toString(), self), r.command());
        assertTrue(r.number("pages") > 0, r.toString());
        assertTrue(r.wallNs() >= r.number("elapsed_ns"), "wall time includes the reader's own: " + r);
        ProgramRun bad = SAMPLES.run(EXIT, "many_vmas", "0");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.stdout().isEmpty() && !bad.stderr().isBlank(), bad.toString());
    }

    private static List<Integer> tids(int pid) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Integer.toString(pid), "task"))) {
            return tasks.map(p -> Integer.parseInt(p.getFileName().toString())).collect(Collectors.toList());
        }
    }
}
