package dev.inspector.cli;

import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Errors a user can act on: one line naming what is wrong (and the nearest right word), exit 2, nothing on stdout. */
@LiveTest
class UsageErrorsTest {

    static void usage(Cli.Result r, String start) {
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().startsWith("inspector: " + start), r.err());
        assertTrue(r.err().lines().reduce((a, b) -> b).orElseThrow().startsWith("Try 'inspector"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void anUnknownCommandGetsTheNearestOne() {
        usage(Cli.run("mpas", "123"), "unknown command 'mpas' (did you mean 'maps'?); the commands are ps, maps,");
        usage(Cli.run("translat", "self", "0x1000"), "unknown command 'translat' (did you mean 'translate'?)");
        Cli.Result far = Cli.run("frobnicate");
        usage(far, "unknown command 'frobnicate'; the commands are");
    }

    @Test
    void aTypoedOptionBeforeThePidIsAnUnknownOptionNotABadPid() {
        usage(Cli.run("maps", "--knd", "heap", "self"), "unknown option '--knd' (did you mean '--kind'?)");
        usage(Cli.run("maps", "-K", "heap", "self"), "unknown option '-K'");
        // one letter: no guess at a nearest one, the letters there are
        usage(Cli.run("maps", "-n", "5", "self"), "unknown option '-n' (the one-letter options here are -C, -h, -k,"
                + " -p, -r, -s, -V, -w)");
        usage(Cli.run("pages", "--mappin", "3", "self"), "unknown option '--mappin' (did you mean '--mapping'?)");
        usage(Cli.run("ps", "--srt", "rss"), "unknown option '--srt' (did you mean '--sort'?)");
        // a value that looks like a number is a value, not an option
        usage(Cli.run("diff", "a.json", "--from", "-1", "--aftr", "2s"), "unknown option '--aftr'");
        // and a bad PID with good options is still a bad PID
        usage(Cli.run("maps", "--kind", "heap", "abc"), "'abc' is not a process id");
    }

    @Test
    void aMistypedValueGetsTheNearestOne() {
        usage(Cli.run("maps", "self", "-k", "thred-stack"), "unknown kind 'thred-stack' (did you mean 'thread-stack'?)");
        usage(Cli.run("ps", "-s", "rsss"), "--sort takes one of pid, user, state, vsz, rss, pss, maps, command; not"
                + " 'rsss' (did you mean 'rss'?)");
        usage(Cli.run("lab", "--step", "mprotct"), "no lab step 'mprotct' (did you mean 'mprotect'?)");
        usage(Cli.run("demo", "cow_frk"), "no demo 'cow_frk' (did you mean 'cow_fork'?)");
        usage(Cli.run("pages", "self", "--path", "pagmap"), "--path must be auto, scan or pagemap, not 'pagmap'"
                + " (did you mean 'pagemap'?)");
        // nothing near: no guess
        Cli.Result far = Cli.run("maps", "self", "--sort", "zzz");
        usage(far, "--sort takes one of n, start");
        assertFalse(far.err().contains("did you mean"), far.err());
    }

    @Test
    void noArgumentsPrintsTheUsageOnStandardError() {
        Cli.Result r = Cli.run();
        assertEquals(ExitCodes.USAGE, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().contains("Usage: inspector [-hV] [--debug] COMMAND"), r.err());
        assertTrue(r.err().contains("maps"), r.err());
    }

    @Test
    void everyCommandPrintsTheVersion() {
        String top = Cli.run("--version").out();
        assertTrue(top.startsWith("inspector "), top);
        for (String c : InspectorCommand.SUBCOMMANDS.keySet()) {
            if (c.equals("help")) {
                continue;
            }
            Cli.Result r = Cli.run(c, "--version");
            assertEquals(0, r.code(), c + ": " + r.err());
            assertEquals(top, r.out(), c);
        }
        assertEquals(top, Cli.run("bench", "maps", "-V").out());
    }

    @Test
    void impossibleValuesAreRefused() {
        usage(Cli.run("ps", "-n", "-1"), "--limit takes 0 (all) or a positive number");
        usage(Cli.run("ps", "--width", "5"), "--width takes 0 (never fit) or 20 to 10000 columns, not 5");
        usage(Cli.run("maps", "self", "--sort", "colour"), "--sort takes one of n, start, end, size");
        usage(Cli.run("maps", "self", "--summary", "everything"), "--summary takes kind or file");
        usage(Cli.run("maps"), "which process?");
        usage(Cli.run("maps", "self", "--reverse"), "--reverse reverses --sort");
    }

    @Test
    void diffWithThreeInputsSaysWhatItCompares(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path a = Files.writeString(tmp.resolve("a.json"), "{}");
        usage(Cli.run("diff", a.toString(), a.toString(), a.toString()), "diff compares two things, not 3:");
    }

    /** Options that cannot go together give exit 2 in every command, with one message form. */
    @Test
    void conflictingOptionsAreOneKindOfError() {
        List<String[]> conflicts = List.of(
                new String[] {"maps", "self", "--kib", "--bytes"},
                new String[] {"maps", "self", "--json", "--summary", "kind"},
                new String[] {"maps", "self", "--json", "--sort", "rss"},
                new String[] {"maps", "self", "--wide", "--width", "80"},
                new String[] {"maps", "-C", "java", "self"},
                new String[] {"ps", "-w", "--width", "100"},
                new String[] {"pages", "self", "--mapping", "1", "--range", "0-1000"},
                new String[] {"pages", "self", "--mark-accessed", "--mark-written"},
                new String[] {"pages", "self", "--mark-accessed", "--accessed"},
                new String[] {"lab", "--list", "--json"},
                new String[] {"lab", "--list", "--step", "mmap"},
                new String[] {"translate", "self", "0x1000", "--wide", "--width", "90"},
                new String[] {"diff", "self", "--after", "1s", "--from", "0"});
        for (String[] c : conflicts) {
            Cli.Result r = Cli.run(c);
            assertEquals(ExitCodes.USAGE, r.code(), String.join(" ", c) + ": " + r.err());
            assertTrue(r.err().contains("cannot be combined") || r.err().contains("not both")
                    || r.err().contains("do not apply"), String.join(" ", c) + ": " + r.err());
        }
    }

    @Test
    void optionValuesTakeAnyCase() {
        for (String[] c : List.of(new String[] {"maps", "self", "--color=NEVER", "--kind", "HEAP,Text"},
                new String[] {"maps", "self", "--sort", "RSS", "--summary", "KIND"},
                new String[] {"ps", "--sort", "Rss", "-n", "2", "--color", "Never"},
                new String[] {"pages", "self", "--mapping", "1", "--path", "PAGEMAP"},
                new String[] {"translate", "self", "0x1000", "--color", "ALWAYS"},
                new String[] {"lab", "--list", "--color", "AUTO"})) {
            Cli.Result r = Cli.run(c);
            assertEquals(0, r.code(), String.join(" ", c) + ": " + r.err());
            assertFalse(r.out().isEmpty(), String.join(" ", c));
        }
    }
}
