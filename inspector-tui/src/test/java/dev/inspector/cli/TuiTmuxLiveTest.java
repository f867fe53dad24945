package dev.inspector.cli;

import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.demo.SampleStep;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.Samples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * End to end, as a person would use it: the real {@code inspector tui PID} (the same Main as the launcher runs, on
 * this build's classpath) in a tmux pane of 100x30, against the {@code stack_vs_heap} sample stopped at its steps.
 * Keys are typed with send-keys, the screen is read with capture-pane, and what must appear is what the sample
 * announced: no [heap] before its first malloc, a [heap] marked new after it, the announced mmap found by 'g'. Skipped
 * (with the reason) where tmux is not installed; .ci/run installs it.
 */
@LiveTest
class TuiTmuxLiveTest {

    private static final java.util.concurrent.atomic.AtomicInteger SERVERS = new java.util.concurrent.atomic.AtomicInteger();

    private String socket;
    private Path dir;

    @BeforeEach
    void tmux() throws Exception {
        assumeTrue(run(List.of("tmux", "-V")) == 0, "tmux is not installed (apt-get install tmux): the end-to-end"
                + " TUI test needs it");
        // A server of its own for every test: a server killed by the previous test may still be exiting when the
        // next one starts, and a new session on its socket then fails ("duplicate session"; CI saw it once).
        socket = "inspector-tui-test-" + ProcessHandle.current().pid() + "-" + SERVERS.incrementAndGet();
        dir = Files.createTempDirectory("inspector-tui-test");
    }

    @AfterEach
    void kill() throws Exception {
        if (socket != null) {
            run(List.of("tmux", "-L", socket, "kill-server"));
        }
    }

    /** A script that runs the inspector's Main with this build's classpath and reports its exit status. */
    private Path script(String... args) throws IOException {
        Path s = dir.resolve("tui.sh");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        StringBuilder b = new StringBuilder("#!/bin/sh\n");
        b.append("export TERM=xterm-256color\n");
        b.append("'").append(java).append("' -cp '").append(System.getProperty("java.class.path"))
                .append("' dev.inspector.cli.Main");
        for (String a : args) {
            b.append(' ').append(a);
        }
        b.append("\necho TUI-EXIT=$?\nsleep 60\n");
        Files.writeString(s, b.toString(), StandardCharsets.UTF_8);
        s.toFile().setExecutable(true);
        return s;
    }

    @Test
    void theMapShowsEachStepOfASampleAsItHappens() throws Exception {
        try (SampleProgram p = Samples.start("stack_vs_heap")) {
            p.awaitStep("start");
            start(script("tui", Integer.toString(p.pid()), "--interval", "250ms"));
            String first = await(s -> s.contains(" pid " + p.pid() + " stack_vs_heap") && s.contains("START"),
                    "the header naming the pid, and the table");
            assertTrue(first.split("\n")[2].contains("vsyscall") || first.split("\n")[2].contains("kernel"),
                    "the column starts at the top of the address space:\n" + first);
            keys("\\", "kind:heap", "Enter");
            await(s -> s.contains("no mapping matches the filter"), "no [heap] before the first malloc");

            p.cont();
            SampleStep heap = p.runTo("heap_alloc");
            long chunk = heap.addr("chunk");
            String withHeap = await(s -> s.contains("[heap]"), "[heap] after heap_alloc");
            assertTrue(tableLine(withHeap, "[heap]").startsWith("+ ") || withHeap.contains("↑+")
                    || withHeap.contains("[heap]"), withHeap);
            keys("\\");
            for (int i = 0; i < "kind:heap".length(); i++) {
                keys("BSpace");
            }
            keys("Enter", "g", Long.toHexString(chunk), "Enter");
            String found = await(s -> s.contains("0x" + Long.toHexString(chunk) + " is in this mapping"),
                    "g finds the announced heap chunk");
            assertTrue(found.contains("heap"), found);

            p.cont();
            SampleStep map = p.runTo("mmap_alloc");
            long addr = map.addr("map");
            // The map shows the step once a refresh has read it: ask again until it has (a quarter second apart).
            String want = "0x" + Long.toHexString(addr) + " is in this mapping";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String shown = "";
            while (!shown.contains(want) && System.nanoTime() < deadline) {
                keys("g", Long.toHexString(addr), "Enter");
                Thread.sleep(300);
                shown = capture();
            }
            assertTrue(shown.contains(want), "g finds the announced mmap after mmap_alloc:\n" + shown);
            assertTrue(shown.contains("anonymous"), shown);

            keys("?");
            await(s -> s.contains("keys (any key closes"), "the help overlay");
            keys("Escape", "q");
            String after = await(s -> s.contains("TUI-EXIT="), "the exit status after q");
            assertTrue(after.contains("TUI-EXIT=0"), after);
            assertFalse(after.contains("START"), "the alternate screen is left: the map is gone\n" + after);
        }
    }

    @Test
    void aDemoPlaysInTheMapAndEnterGoesOn() throws Exception {
        String samples = dev.inspector.core.demo.SampleDirectory.locate().path().toString();
        start(script("demo", "demand_paging", "--tui", "--samples", "'" + samples + "'"));
        String first = await(s -> s.contains("demo: step 1 after_mmap_anon") && s.contains("START")
                && s.contains("claim"), "the first stop: header, map and the step's claims");
        assertTrue(first.contains("[Step]"), first);
        assertTrue(first.contains("Enter/x:next step"), "the key bar says how to go on:\n" + first);
        keys("Enter");
        String second = await(s -> s.contains("demo: step 2 after_read_first_half"), "the second stop after Enter");
        assertTrue(second.contains(" demand_paging"), second);
        for (int i = 0; i < 10 && !capture().contains("the demo ended"); i++) {
            keys("Enter");
            Thread.sleep(1500);
        }
        String end = await(s -> s.contains("summary:") || s.contains("the demo ended"), "the end of the demo");
        keys("q");
        String after = await(s -> s.contains("TUI-EXIT="), "the exit status after q");
        assertTrue(after.contains("summary: "), "the summary is printed after the screen:\n" + after);
        assertFalse(after.contains("START"), "the alternate screen is left\n" + after);
        assertTrue(after.contains("TUI-EXIT=0") || after.contains("TUI-EXIT=" + ExitCodes.CLAIM_DIFFERS), after);
        assertFalse(end.isEmpty());
    }

    /**
     * cow_fork's child announces two stops: the map follows it there (the header's pid is the child's) and goes back
     * to the parent at the parent's next stop, with no exit banner for the child that ended in between; at the end
     * the header says how the sample ended, from the status the runner collected as its parent.
     */
    @Test
    void aDemoMapFollowsTheProcessThatAnnouncedTheStep() throws Exception {
        String samples = dev.inspector.core.demo.SampleDirectory.locate().path().toString();
        start(script("demo", "cow_fork", "--tui", "--samples", "'" + samples + "'"));
        String first = await(s -> s.contains("demo: step 1 parent_before_fork") && s.contains("START"),
                "the parent's first stop");
        String parent = headerPid(first);
        keys("Enter");
        String child = await(s -> s.contains("demo: step 2 child_before_write") && !headerPid(s).isEmpty()
                && !headerPid(s).equals(parent),
                "the child's stop with the child's map");
        assertTrue(child.contains("(pid " + headerPid(child) + ")"), "the Step pane names the child:\n" + child);
        keys("Enter");
        await(s -> s.contains("demo: step 3 child_after_write"), "the child's second stop");
        keys("Enter");
        String back = await(s -> s.contains("demo: step 4 parent_after_child_write") && headerPid(s).equals(parent),
                "the parent's map again");
        assertFalse(back.contains(" exited "), "the child's exit is not the sample's:\n" + back);
        for (int i = 0; i < 6 && !capture().contains("the demo ended"); i++) {
            keys("Enter");
            Thread.sleep(1500);
        }
        String end = await(s -> s.contains("the demo ended"), "the end of the demo");
        assertTrue(end.contains("demo: pid " + parent + " exited with status 0 · the demo ended"), end);
        keys("q");
        await(s -> s.contains("TUI-EXIT="), "the exit status after q");
    }

    /** The pid in the header's first line (" pid N name · ..."). */
    private static String headerPid(String screen) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^ pid (\\d+) ").matcher(screen);
        return m.find() ? m.group(1) : "";
    }

    /**
     * q at the first stop ends the demo and its sample: after the screen, how far it got and the verdicts judged so far,
     * and the status says whether one of them differs (demand_paging's first stop judges a claim that differs here).
     */
    @Test
    void quittingADemoEarlySaysHowFarItGot() throws Exception {
        String samples = dev.inspector.core.demo.SampleDirectory.locate().path().toString();
        start(script("demo", "demand_paging", "--tui", "--samples", "'" + samples + "'"));
        await(s -> s.contains("demo: step 1 after_mmap_anon") && s.contains("START"), "the first stop");
        keys("q");
        await(s -> s.contains("TUI-EXIT="), "the exit status after q");
        String after = capture("-J"); // lines the pane wrapped, joined (the text itself is wrapped to the width)
        assertFalse(after.contains("START"), "the alternate screen is left\n" + after);
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("closed at \\[1\\] after_mmap_anon, (\\d+) claims? judged so far: .* (\\d+) differ, .*the sample"
                        + " was ended").matcher(after.replace("\n", " "));
        assertTrue(m.find(), "how far it got:\n" + after);
        assertTrue(Integer.parseInt(m.group(1)) > 0, after);
        int status = Integer.parseInt(m.group(2)) > 0 ? ExitCodes.CLAIM_DIFFERS : 0;
        assertTrue(after.contains("TUI-EXIT=" + status), "the status follows the verdicts so far:\n" + after);
    }

    @Test
    void aVanishedPidIsOneClearLineNotABrokenScreen() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor(10, TimeUnit.SECONDS);
        start(script("tui", Long.toString(gone.pid())));
        String s = await(x -> x.contains("TUI-EXIT="), "the exit status");
        assertTrue(s.contains("TUI-EXIT=" + ExitCodes.NO_SUCH_PROCESS), s);
        assertEquals(1, s.lines().filter(l -> l.startsWith("inspector: ")).count(), "one line:\n" + s);
    }

    @Test
    void aSmallTerminalGetsTheMessage() throws Exception {
        socket = socket + "-small";
        try (SampleProgram p = Samples.start("stack_vs_heap")) {
            p.awaitStep("start");
            start(script("tui", Integer.toString(p.pid())), 70, 20);
            await(s -> s.contains("needs a terminal of at least 80x24"), "the too-small message");
            run(List.of("tmux", "-L", socket, "resize-window", "-t", "t", "-x", "80", "-y", "24"));
            await(s -> s.contains("pid " + p.pid()), "the map once the window is 80x24");
            keys("q");
            await(s -> s.contains("TUI-EXIT=0"), "exit 0");
        }
    }

    /**
     * The hostile targets of issue 9 under the live map: a process whose leader called pthread_exit, a chrooted one
     * whose mapped paths are FIFOs nobody writes to, one with names that are escape sequences, newlines and bytes
     * that are not UTF-8, and one that maps and unmaps in a tight loop. Each is shown (the table, within the bound) and
     * still shown seconds later, names reach the pane escaped, and q ends with 0; a kernel thread and a zombie are
     * one line with their documented status before any screen.
     */
    @Test
    void hostileTargetsNeverBreakTheScreen() throws Exception {
        String base = socket;
        int n = 0;
        try (SampleProgram p = Samples.start(Samples.env("SAMPLE_NOPAUSE", "1", "SAMPLE_HOLD", "1"),
                "pthread_exit_leader", "2")) {
            p.awaitStep("ready");
            p.awaitStep("leader_exited");
            socket = base + "-" + n++;
            String s = liveAndQuit(p.pid(), null);
            assertTrue(s.contains(" pid " + p.pid() + " pthread_exit_le") && s.contains(" 3 threads"), s);
            p.releaseHold();
        }
        try (SampleProgram p = Samples.start(Samples.env("SAMPLE_NOPAUSE", "1", "SAMPLE_HOLD", "1"),
                "chroot_target", "fifo")) {
            boolean ready;
            try {
                p.awaitStep("ready");
                ready = true;
            } catch (RuntimeException e) {
                ready = false; // user namespaces not allowed here: the sample said so and exited 3
            }
            if (ready) {
                socket = base + "-" + n++;
                liveAndQuit(p.pid(), null);
                p.releaseHold();
            }
        }
        try (SampleProgram p = Samples.start(Samples.env("SAMPLE_NOPAUSE", "1", "SAMPLE_HOLD", "1"), "odd_names")) {
            p.awaitStep("ready");
            socket = base + "-" + n++;
            String s = liveAndQuit(p.pid(), "inspector-odd");
            // capture-pane shows what the terminal got: an escape sequence that reached it raw would have been
            // interpreted (red text, a bell), not shown as these characters.
            assertTrue(s.contains("\\x1b[31mred\\x1b[0m-\\x07bell.dat"), s);
            assertTrue(s.contains("new\\nline.dat") && s.contains("bad-\\xff\\xfe-utf8.dat"), s);
            p.releaseHold();
        }
        try (SampleProgram p = Samples.start(Samples.env("SAMPLE_NOPAUSE", "1", "SAMPLE_HOLD", "1"), "churn", "0",
                "2")) {
            p.awaitStep("ready");
            socket = base + "-" + n++;
            liveAndQuit(p.pid(), null);
            p.releaseHold();
        }
        socket = base + "-" + n++;
        int kthread = PrivilegeMatrixTest.kernelThread();
        start(script("tui", Integer.toString(kthread)));
        String k = await(x -> x.contains("TUI-EXIT="), "the exit status");
        assertTrue(k.contains("TUI-EXIT=" + ExitCodes.KERNEL_THREAD) && k.contains("is a kernel thread"), k);
        assertEquals(1, k.lines().filter(l -> l.startsWith("inspector: ")).count(), "one line:\n" + k);
        run(List.of("tmux", "-L", socket, "kill-server"));
        try (dev.inspector.core.testing.Unreaped z = dev.inspector.core.testing.Unreaped.start("exit 3")) {
            assertTrue(z.awaitZombie(10_000), "a zombie");
            socket = base + "-" + n++;
            start(script("tui", Integer.toString(z.pid())));
            String s = await(x -> x.contains("TUI-EXIT="), "the exit status");
            assertTrue(s.contains("TUI-EXIT=" + ExitCodes.PROCESS_EXITED) && s.contains("is a zombie"), s);
            assertEquals(1, s.lines().filter(l -> l.startsWith("inspector: ")).count(), "one line:\n" + s);
        }
    }

    /**
     * The live map of {@code pid} (filtered by {@code filter} when given): shown, still shown after three seconds of
     * refreshes at 100 ms, then q ends it with 0. Returns the screen before q.
     */
    private String liveAndQuit(int pid, String filter) throws Exception {
        start(script("tui", Integer.toString(pid), "--interval", "100ms"), 160, 40);
        await(s -> s.contains(" pid " + pid + " ") && s.contains("START"), "the map of " + pid);
        if (filter != null) {
            keys("\\", filter, "Enter");
        }
        Thread.sleep(3000);
        String s = capture();
        assertTrue(s.contains(" pid " + pid + " ") && s.contains("START") && !s.contains("TUI-EXIT="),
                "still live after 3 s:\n" + s);
        keys("q");
        String after = await(x -> x.contains("TUI-EXIT="), "the exit status after q");
        assertTrue(after.contains("TUI-EXIT=0"), after);
        run(List.of("tmux", "-L", socket, "kill-server"));
        return s;
    }

    // ---- tmux ----

    private void start(Path script) throws Exception {
        start(script, 100, 30);
    }

    private void start(Path script, int cols, int rows) throws Exception {
        Process p = tmux(List.of("tmux", "-L", socket, "new-session", "-d", "-s", "t", "-x", Integer.toString(cols),
                "-y", Integer.toString(rows), script.toString())).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "tmux new-session did not return");
        assertEquals(0, p.exitValue(), "tmux new-session on " + socket + ": " + said);
    }

    private void keys(String... keys) throws Exception {
        for (String k : keys) {
            List<String> c = new ArrayList<>(List.of("tmux", "-L", socket, "send-keys", "-t", "t"));
            if (k.equals("Enter") || k.equals("Escape") || k.equals("BSpace")) {
                c.add(k);
            } else {
                c.add("-l");
                c.add(k);
            }
            assertEquals(0, run(c));
            Thread.sleep(50);
        }
    }

    private String capture(String... options) throws Exception {
        List<String> c = new ArrayList<>(List.of("tmux", "-L", socket, "capture-pane", "-p", "-t", "t"));
        c.addAll(List.of(options));
        Process p = tmux(c).start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return s;
    }

    private String await(Predicate<String> p, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String s = "";
        while (System.nanoTime() < deadline) {
            s = capture();
            if (p.test(s)) {
                return s;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the pane never showed " + what + ":\n" + s);
    }

    private static String tableLine(String screen, String needle) {
        for (String l : screen.split("\n")) {
            int bar = l.indexOf('│');
            if (bar >= 0 && l.contains(needle)) {
                return l.substring(bar + 1);
            }
        }
        return "";
    }

    /**
     * A tmux command line with SHELL set: the server runs a pane's command with its default shell, which it takes
     * from SHELL and otherwise from the password entry. CI has no SHELL, and uid 65534's entry says
     * /usr/sbin/nologin, which refuses the script at once, so the pane and its server were gone before the first
     * capture.
     */
    private static ProcessBuilder tmux(List<String> cmd) {
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
        b.environment().put("SHELL", "/bin/sh");
        return b;
    }

    private static int run(List<String> cmd) throws Exception {
        try {
            Process p = tmux(cmd).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1; // not installed
        }
    }
}
