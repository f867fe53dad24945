package dev.inspector.core.session;

import dev.inspector.core.ExitStatus;
import dev.inspector.core.InspectorException;
import dev.inspector.core.KernelThread;
import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.ProcessGone;
import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.demo.SampleStep;
import dev.inspector.core.diff.DiffResult;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.procfs.PagemapProbe;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.testing.Live;
import dev.inspector.core.testing.Samples;
import dev.inspector.core.testing.Unprivileged;
import dev.inspector.core.testing.Unreaped;
import org.junit.jupiter.api.Assumptions;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a session says about processes in the states that fooled it: a main thread that called pthread_exit while
 * others run on, a kernel thread, a zombie, a process whose parent has not reaped it. Expectations come from the
 * kernel's own files (the task directories, stat's flags and exit code), read here independently.
 */
@LiveTest
@EnabledOnOs(OS.LINUX)
class ProcessStatesLiveTest {

    private static final Host HOST = Live.host();

    @Test
    void aMainThreadThatCalledPthreadExitLeavesALiveProcessThatIsInspectedThroughALiveThread() throws Exception {
        try (SampleProgram s = Samples.start(Samples.env("SAMPLE_NOPAUSE", "1", "SAMPLE_HOLD", "1"),
                "pthread_exit_leader", "2")) {
            SampleStep ready = s.awaitStep("ready");
            s.awaitStep("leader_exited");
            int pid = s.pid();
            int tid = (int) ready.number("tid.0");
            // The kernel: the process's own maps is empty, a live thread's shows the shared address space.
            assertEquals(0, Files.readAllBytes(Path.of("/proc", "" + pid, "maps")).length);
            long lines = Files.readAllLines(Path.of("/proc", "" + pid, "task", "" + tid, "maps"),
                    StandardCharsets.ISO_8859_1).size();
            assertTrue(lines > 5, "thread " + tid + " shows the address space");

            InspectionSession session = HOST.session(pid);
            Snapshot snap = session.snapshot(SnapshotOptions.full());
            assertEquals(lines, snap.regions().size(), "every mapping, read through a live thread");
            assertEquals("Z", snap.process().state(), "the kernel's state of the main thread, as it is");
            assertTrue(snap.threads().stream().anyMatch(t -> t.tid() == tid && !t.state().equals("Z")));
            assertNull(session.exitIfGone(), "alive, not exited");

            // A refresh loop takes its points and reports no exit while the threads run.
            List<String> events = new ArrayList<>();
            Refresh r = session.refresh(SnapshotOptions.maps(), Duration.ofMillis(50), listener(events));
            assertEquals(3, r.run(3), events.toString());
            assertEquals(List.of("snapshot", "snapshot", "snapshot"), events);

            // Residency and translation read pagemap through the live thread too.
            var heat = session.heatMap(snap.regions().get(0).mapping(), 4, false);
            assertNotNull(heat.residency());
            assertNotNull(session.translate(snap.regions().get(0).mapping().start()));

            // When the last thread exits (released after the first point), the loop reports the exit once and ends.
            List<String> end = new ArrayList<>();
            Refresh.Listener l = listener(end);
            Refresh until = session.refresh(SnapshotOptions.maps(), Duration.ofMillis(50), new Refresh.Listener() {
                @Override
                public void snapshot(Snapshot snapshot, DiffResult since, Refresh.Stats stats) {
                    l.snapshot(snapshot, since, stats);
                    if (end.size() == 1) {
                        s.releaseHold();
                    }
                }

                @Override
                public void exited(TargetExit exit) {
                    l.exited(exit);
                }
            });
            until.run(2000);
            assertEquals("snapshot", end.get(0));
            assertEquals("exited", end.get(end.size() - 1), end.toString());
        }
    }

    @Test
    void aKernelThreadIsOneTypedErrorWithItsOwnStatus() throws IOException {
        int kthread = kernelThread();
        KernelThread e = assertThrows(KernelThread.class, () -> HOST.session(kthread).snapshot(SnapshotOptions.maps()));
        assertEquals(ExitStatus.KERNEL_THREAD, e.exitStatus());
        assertTrue(e.getMessage().contains("is a kernel thread: it has no user address space"), e.getMessage());
        assertThrows(KernelThread.class, () -> HOST.session(kthread).translate(0x1000));
    }

    @Test
    void aZombieIsSaidToBeOneWithItsExitStatus() throws Exception {
        try (Unreaped z = Unreaped.start("exit 3")) {
            assertTrue(z.awaitZombie(5000), "state " + z.state());
            InspectionSession session = HOST.session(z.pid());
            ProcessGone e = assertThrows(ProcessGone.class, () -> session.snapshot(SnapshotOptions.maps()));
            assertTrue(e.getMessage().startsWith("process " + z.pid() + " is a zombie: it has exited"), e.getMessage());
            assertEquals(ExitStatus.PROCESS_EXITED, e.exitStatus());
            TargetExit exit = session.exitIfGone();
            assertEquals(3, exit.status(), exit.toString());
            assertEquals("exited with status 3", exit.reason());
        }
    }

    @Test
    void aRefreshLoopReportsTheExitStatusTheKernelKeepsInStat() throws Exception {
        for (String[] c : new String[][] {{"sleep 0.5; exit 7", "7", "exited with status 7"},
            {"sleep 0.5; kill -KILL $$", "-9", "killed by SIGKILL"}}) {
            try (Unreaped child = Unreaped.start(c[0])) {
                List<String> events = new ArrayList<>();
                AtomicReference<TargetExit> exit = new AtomicReference<>();
                Refresh r = HOST.session(child.pid()).refresh(SnapshotOptions.maps(), Duration.ofMillis(50),
                        new Refresh.Listener() {
                            @Override
                            public void snapshot(Snapshot snapshot, DiffResult since, Refresh.Stats stats) {
                                events.add("snapshot");
                            }

                            @Override
                            public void exited(TargetExit e) {
                                exit.set(e);
                            }
                        });
                r.run(200);
                assertNotNull(exit.get(), "the loop ended on the exit: " + events.size() + " points");
                assertEquals(Integer.parseInt(c[1]), exit.get().status(), exit.get().toString());
                assertEquals(c[2], exit.get().reason());
            }
        }
    }

    /**
     * A process that exits while pagemap is read: the kernel ends the file early for root (its memory is gone) and
     * hands it to root so that even its owner is refused. Neither is a malformed file or an access denial: the
     * process has exited. A zombie is such a process, frozen; the read goes through the one reader of pagemap.
     */
    @Test
    void pagemapOfAProcessThatHasExitedIsProcessGoneForRootAndForItsOwner() throws Exception {
        try (Unreaped z = Unreaped.start("exit 0")) {
            assertTrue(z.awaitZombie(5000));
            if (Unprivileged.root()) {
                InspectorException e = assertThrows(InspectorException.class,
                        () -> ProcFs.system().pagemapEntries(z.pid(), 0x400, 1));
                assertEquals(ProcessGone.class, e.getClass(), e.getMessage());
                assertFalse(e instanceof MalformedProcFile);
            }
        }
        Assumptions.assumeTrue(Unprivileged.prefix().isPresent(), Unprivileged::whyNot);
        try (Unreaped z = Unreaped.start(Unprivileged.prefix().get(), "exit 0")) {
            assertTrue(z.awaitZombie(5000));
            String cp = Unprivileged.classpath(ProcFs.class, PagemapProbe.class);
            String java = ProcessHandle.current().info().command().orElseThrow();
            Process p = new ProcessBuilder(Unprivileged.command(java, "-XX:-UsePerfData", "-cp", cp,
                    PagemapProbe.class.getName(), Integer.toString(z.pid()))).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            assertTrue(out.startsWith("ProcessGone|process " + z.pid() + " exited during the read"), out);
        }
    }

    private static Refresh.Listener listener(List<String> events) {
        return new Refresh.Listener() {
            @Override
            public void snapshot(Snapshot snapshot, DiffResult since, Refresh.Stats stats) {
                events.add("snapshot");
            }

            @Override
            public void exited(TargetExit exit) {
                events.add("exited");
            }

            @Override
            public void failed(InspectorException error, Refresh.Stats stats) {
                events.add("failed: " + error.getMessage());
            }
        };
    }

    /** A kernel thread, told by the kernel's own "Kthread: 1" line of status (Linux 6.x) or stat's PF_KTHREAD. */
    static int kernelThread() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path d : ds) {
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    long flags = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[6]);
                    if ((flags & 0x00200000L) != 0) {
                        return Integer.parseInt(d.getFileName().toString());
                    }
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            }
        }
        Assumptions.abort("no kernel thread visible in /proc (a PID namespace of its own?)");
        return -1;
    }
}
