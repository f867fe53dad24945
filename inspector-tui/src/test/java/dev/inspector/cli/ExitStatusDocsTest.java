package dev.inspector.cli;

import dev.inspector.core.ExitStatus;
import dev.inspector.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exit-code table exists once (ExitStatus): docs/cli.md and every command's --help must say the same. */
class ExitStatusDocsTest {

    @Test
    void docsListEveryExitStatusWithItsMeaning() throws Exception {
        Path docs = Paths.get(System.getProperty("maven.multiModuleProjectDirectory", ".."), "docs", "cli.md");
        if (!Files.exists(docs)) {
            docs = Paths.get("..", "docs", "cli.md");
        }
        List<String> rows = new ArrayList<>();
        boolean in = false;
        for (String line : Files.readAllLines(docs)) {
            if (line.equals("| code | meaning |")) {
                in = true;
                continue;
            }
            if (in && line.startsWith("|---")) {
                continue;
            }
            if (in && !line.startsWith("|")) {
                break;
            }
            if (in) {
                rows.add(line);
            }
        }
        List<String> want = new ArrayList<>();
        for (ExitStatus s : ExitStatus.values()) {
            want.add("| " + s.code() + " | " + s.meaning() + " |");
        }
        assertEquals(want, rows, "docs/cli.md's exit-code table");
    }

    /** --help reads no process: a captured tree's host keeps this test off the live system. */
    private static Help help(String cmd) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(Fixtures.host("sleep"), new PrintWriter(out), new PrintWriter(err), cmd, "--help");
        return new Help(code, out.toString(), err.toString());
    }

    private record Help(int code, String out, String err) {
    }

    @Test
    void everyCommandsHelpPrintsTheTable() {
        for (String cmd : InspectorCommand.SUBCOMMANDS.keySet()) {
            if (cmd.equals("help")) {
                continue;
            }
            Help r = help(cmd);
            assertEquals(0, r.code(), cmd + ": " + r.err());
            for (ExitStatus s : ExitStatus.values()) {
                String code = Integer.toString(s.code());
                assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith(code + "  ") || l.trim().startsWith(code
                        + " ")), cmd + " --help lacks exit code " + code + ":\n" + r.out());
            }
        }
    }
}
