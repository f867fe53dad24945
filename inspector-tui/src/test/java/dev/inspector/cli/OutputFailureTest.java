package dev.inspector.cli;

import dev.inspector.core.testing.Live;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No command ignores a failed write of standard output, and every command tells the two kinds apart the way GNU tools
 * do: the reader went away (EPIPE, {@code inspector maps PID | head}) ends quietly with 141, the status a shell shows
 * for a tool killed by SIGPIPE; any other error (a full disk) is one line naming it and exit 11. The stream below
 * fails as the kernel's write(2) does, after some bytes, with the C library's text the JDK puts in the exception.
 */
@LiveTest
@EnabledOnOs(OS.LINUX)
class OutputFailureTest {

    @TempDir
    Path tmp;

    /** Every command that writes to standard output, each its own way (tables, JSON, a timeline, help). */
    private List<String[]> commands() throws IOException {
        Path a = tmp.resolve("a.json");
        if (!Files.exists(a)) {
            assertEquals(0, Cli.run("snapshot", "self", "-o", a.toString()).code());
        }
        return List.of(new String[] {"maps", "self"}, new String[] {"maps", "self", "--json"}, new String[] {"ps"},
                new String[] {"snapshot", "self"}, new String[] {"pages", "self"},
                new String[] {"pages", "self", "--json"}, new String[] {"translate", "self", "0x1000"},
                new String[] {"diff", a.toString(), a.toString(), "--all"},
                new String[] {"diff", a.toString(), a.toString(), "--json"},
                new String[] {"watch", "self", "--count", "3", "--interval", "50ms"},
                new String[] {"maps", "--help"}, new String[] {"--help"});
    }

    @Test
    void aClosedPipeEndsEveryCommandQuietlyWith141() throws IOException {
        for (String[] args : commands()) {
            StringWriter err = new StringWriter();
            int code = Main.run(Live.host(), new StandardOutput(failingAfter(300, "Broken pipe")),
                    new PrintWriter(err), args);
            assertEquals(ExitCodes.BROKEN_PIPE, code, String.join(" ", args) + ": " + err);
            assertEquals("", err.toString(), String.join(" ", args));
        }
    }

    @Test
    void aFullDiskIsOneLineAndExit11ForEveryCommand() throws IOException {
        for (String[] args : commands()) {
            StringWriter err = new StringWriter();
            int code = Main.run(Live.host(), new StandardOutput(failingAfter(300, "No space left on device")),
                    new PrintWriter(err), args);
            assertEquals(ExitCodes.OUTPUT_FAILED, code, String.join(" ", args) + ": " + err);
            List<String> lines = err.toString().lines().collect(Collectors.toList());
            assertEquals(1, lines.size(), String.join(" ", args) + ": " + err);
            assertTrue(lines.get(0).startsWith("inspector: cannot write standard output: No space left on device"),
                    String.join(" ", args) + ": " + lines.get(0));
        }
    }

    /** A writer that is not a StandardOutput (an embedding program's) still never loses an error: exit 11. */
    @Test
    void aWriterWhoseCauseIsUnknownIsStillAnError() {
        StringWriter err = new StringWriter();
        int code = Main.run(Live.host(), new PrintWriter(failingAfter(300, "Broken pipe")), new PrintWriter(err),
                "maps", "self");
        assertEquals(ExitCodes.OUTPUT_FAILED, code);
        assertEquals(List.of("inspector: cannot write standard output; stopped"),
                err.toString().lines().collect(Collectors.toList()));
    }

    static OutputStream failingAfter(int limit, String reason) {
        return new OutputStream() {
            private int written;

            @Override
            public void write(int b) throws IOException {
                if (++written > limit) {
                    throw new IOException(reason);
                }
            }
        };
    }

    /**
     * The last line of defence: whatever reached an error message (here a file name with an escape sequence, a bidi
     * override and a newline, as a hostile directory listing could hand it to a script), no control reaches stderr.
     */
    @Test
    void anErrorLineNeverCarriesAControlCharacter() {
        String name = tmp.resolve("x\u001b[31mred\u202e\nline.json").toString();
        Cli.Result r = Cli.run("diff", name, name);
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().chars().noneMatch(c -> (c < 0x20 && c != '\n') || c == 0x7f || c == 0x202e), r.err());
        assertTrue(r.err().contains("x\\x1b[31mred\\u202e\\nline.json"), r.err());
    }
}
