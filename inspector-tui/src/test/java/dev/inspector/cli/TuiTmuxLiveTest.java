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

    private String socket;
    private Path dir;

    @BeforeEach
    void tmux() throws Exception {
        assumeTrue(run(List.of("tmux", "-V")) == 0, "tmux is not installed (apt-get install tmux): the end-to-end"
                + " TUI test needs it");
        socket = "inspector-tui-test-" + ProcessHandle.current().pid();
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

    // ---- tmux ----

    private void start(Path script) throws Exception {
        start(script, 100, 30);
    }

    private void start(Path script, int cols, int rows) throws Exception {
        assertEquals(0, run(List.of("tmux", "-L", socket, "new-session", "-d", "-s", "t", "-x", Integer.toString(cols),
                "-y", Integer.toString(rows), script.toString())));
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

    private String capture() throws Exception {
        Process p = new ProcessBuilder("tmux", "-L", socket, "capture-pane", "-p", "-t", "t").redirectErrorStream(true)
                .start();
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

    private static int run(List<String> cmd) throws Exception {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1; // not installed
        }
    }
}
