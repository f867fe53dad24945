package dev.inspector.cli;

import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.demo.SampleStep;
import dev.inspector.core.testing.Samples;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On a terminal every command fits its width, marking what it cut and naming what it left out; into a pipe nothing is
 * cut; in a locale that is not UTF-8 only ASCII is written. Run on the typical sample as a user would see it.
 */
@LiveTest
class OutputFitsTest {

    static final OutputEnv TERMINAL_80 = OutputEnv.terminal(80, true);

    static void fits(Cli.Result r, int width, String what) {
        // model, aslr: a claim that differs on this kernel (exit 8) is a verdict; the layout is what is checked here
        assertTrue(r.code() == 0 || r.code() == ExitCodes.CLAIM_DIFFERS, what + ": " + r.code() + " " + r.err());
        assertFalse(r.out().isEmpty(), what);
        for (String l : r.out().replaceAll("\u001b\\[[0-9;]*m", "").lines().toList()) {
            assertTrue(l.length() <= width, what + ": a line of " + l.length() + " columns: " + l);
        }
    }

    @Test
    void everyTableCommandFitsEightyColumnsAndIsWholeIntoAPipe(@TempDir Path tmp) throws Exception {
        try (SampleProgram s = Samples.start("typical", "2")) {
            SampleStep ready = s.awaitStep("ready");
            String pid = Integer.toString(s.pid());
            String heap = "0x" + Long.toHexString(ready.addr("heap_chunk"));
            Path a = tmp.resolve("a.json");
            Path b = tmp.resolve("b.json");
            assertEquals(0, Cli.run("snapshot", pid, "-o", a.toString()).code());
            try (SampleProgram other = Samples.start("typical", "2")) {
                other.awaitStep("ready");
                assertEquals(0, Cli.run("snapshot", Integer.toString(other.pid()), "-o", b.toString()).code());
            }
            String[][] commands = {
                {"maps", pid}, {"maps", pid, "--summary", "file"}, {"maps", pid, "--no-smaps"}, {"ps"},
                {"pages", pid}, {"pages", pid, "--heat", "100"}, {"translate", pid, heap},
                {"diff", "--by-module", "--all", a.toString(), b.toString()}, {"lab", "--list"}, {"demo"},
                {"model", pid}, {"aslr", "--runs", "5"},
            };
            for (String[] c : commands) {
                String what = String.join(" ", c);
                fits(Cli.on(TERMINAL_80, c), 80, what);
                fits(Cli.on(OutputEnv.terminal(120, true), c), 120, what + " at 120");
                // --width does the same into a pipe; --wide and a pipe leave everything whole
                fits(Cli.run(concat(c, "--width", "80")), 80, what + " --width 80");
                Cli.Result whole = Cli.on(TERMINAL_80, concat(c, "--wide"));
                assertTrue(whole.code() == 0 || whole.code() == ExitCodes.CLAIM_DIFFERS, whole.err());
                assertFalse(whole.out().contains("\u2026") && !Cli.run(c).out().contains("\u2026"), what);
                assertFalse(Cli.run(c).out().contains("not shown to fit"), what);
            }
            // maps: what was left out is named, a cut keeps the end of a path, and the numbers are those of the pipe
            Cli.Result fitted = Cli.on(TERMINAL_80.with(Map.of("LANG", "C.UTF-8")), "maps", pid); // no TERM: plain
            List<String> lines = fitted.out().lines().toList();
            assertTrue(lines.get(0).matches(" *N  START +SIZE  PERM +RSS .*KIND +NAME"), lines.get(0));
            assertTrue(lines.get(lines.size() - 1).matches("\\(END, .*not shown to fit 80 columns; --wide shows every"
                    + " column\\)"), lines.get(lines.size() - 1));
            assertTrue(fitted.out().matches("(?s).*\u2026/[^ ]*typical\n.*"), fitted.out());
            Cli.Result piped = Cli.run("maps", pid);
            assertTrue(piped.out().contains(s.command().get(0)), "the pipe gets the whole path: " + piped.out());
            assertEquals(piped.out().lines().filter(l -> l.startsWith("total")).toList(),
                    fitted.out().lines().filter(l -> l.startsWith("total")).toList());
        }
    }

    @Test
    void aLocaleThatIsNotUtf8GetsOnlyAscii() {
        for (Map<String, String> env : List.of(Map.of("LANG", "C"), Map.of("LC_ALL", "POSIX", "LANG", "en_US.UTF-8"),
                Map.<String, String>of())) {
            OutputEnv c = TERMINAL_80.with(env);
            for (String[] cmd : new String[][] {{"maps", "self"}, {"ps"}, {"lab", "--list"}}) {
                Cli.Result r = Cli.on(c, cmd);
                assertEquals(0, r.code(), r.err());
                assertTrue(r.out().chars().allMatch(ch -> ch < 0x80), env + " " + String.join(" ", cmd) + ":\n"
                        + r.out());
            }
            assertTrue(Cli.on(c, "maps", "self").out().contains("..."), "the ASCII cut mark");
        }
        assertTrue(Cli.on(TERMINAL_80.with(Map.of("LC_ALL", "C.UTF-8")), "maps", "self").out().contains("\u2026"));
    }

    @Test
    void colourFollowsTheTerminalAndNoColor() {
        assertTrue(Cli.on(TERMINAL_80, "maps", "self").out().contains("\u001b["), "auto colours a terminal");
        assertFalse(Cli.on(TERMINAL_80.with(Map.of("TERM", "xterm", "NO_COLOR", "1", "LANG", "C.UTF-8")), "maps",
                "self").out().contains("\u001b["));
        assertFalse(Cli.run("maps", "self").out().contains("\u001b["), "a pipe gets no colour");
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
