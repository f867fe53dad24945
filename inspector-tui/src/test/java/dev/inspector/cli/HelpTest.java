package dev.inspector.cli;

import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command's --help has the same layout, fits 80 columns, and names what each option takes. */
@LiveTest
class HelpTest {

    /** Every command and subcommand, as words on a command line ("maps", "bench maps"). */
    static List<List<String>> commands() {
        StringWriter sink = new StringWriter();
        CommandLine top = Main.commandLine(new PrintWriter(sink), new PrintWriter(sink));
        List<List<String>> out = new ArrayList<>();
        out.add(List.of());
        collect(top, new ArrayList<>(), out);
        return out;
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals("help")) {
                continue;
            }
            List<String> p = new ArrayList<>(path);
            p.add(e.getKey());
            out.add(p);
            collect(e.getValue(), p, out);
        }
    }

    @Test
    void everyHelpHasOneLayoutFitsEightyColumnsAndNamesItsValues() {
        List<List<String>> all = commands();
        assertTrue(all.size() > 12, all.toString());
        for (List<String> c : all) {
            List<String> argv = new ArrayList<>(c);
            argv.add("--help");
            Cli.Result r = Cli.run(argv.toArray(new String[0]));
            String what = "inspector " + String.join(" ", c) + " --help";
            assertEquals(0, r.code(), what + ": " + r.err());
            List<String> lines = r.out().lines().toList();
            // a one-line summary, the usage, a blank line, the description
            assertFalse(lines.get(0).isBlank() || lines.get(0).startsWith("Usage:"), what + ": " + lines.get(0));
            assertTrue(lines.get(1).startsWith("Usage: inspector" + (c.isEmpty() ? "" : " " + String.join(" ", c))),
                    what + ": " + lines.get(1));
            int order = 0;
            for (String heading : List.of("Arguments:", "Options:", "Commands:", "Exit codes:")) {
                int at = lines.indexOf(heading);
                if (at < 0) {
                    assertFalse(heading.equals("Options:") || heading.equals("Exit codes:"), what + " lacks " + heading);
                    continue;
                }
                assertTrue(at > order, what + ": " + heading + " out of order");
                assertEquals("", lines.get(at - 1), what + ": a blank line before " + heading);
                order = at;
                // a section's lines are indented: none wrapped to column 0
                for (int i = at + 1; i < lines.size() && !lines.get(i).isEmpty(); i++) {
                    assertTrue(lines.get(i).startsWith(" "), what + ": wrapped to column 0: " + lines.get(i));
                }
            }
            for (String l : lines) {
                assertTrue(l.length() <= HelpLayout.WIDTH, what + ": " + l.length() + " columns: " + l);
                assertFalse(l.matches(".*<[a-zA-Z]+>.*"), what + ": a label picocli made from a field name: " + l);
            }
        }
    }

    @Test
    void preformattedDescriptionLinesAreShortEnoughNeverToWrap() {
        StringWriter sink = new StringWriter();
        CommandLine top = Main.commandLine(new PrintWriter(sink), new PrintWriter(sink));
        List<CommandLine> queue = new ArrayList<>(List.of(top));
        while (!queue.isEmpty()) {
            CommandLine cl = queue.remove(0);
            queue.addAll(cl.getSubcommands().values());
            for (String d : cl.getCommandSpec().usageMessage().description()) {
                if (d.startsWith(" ")) {
                    // an indented line (an example, a form) wrapped by picocli would continue at column 0
                    assertTrue(d.length() <= HelpLayout.WIDTH, cl.getCommandSpec().qualifiedName() + ": " + d);
                }
            }
            for (String h : cl.getCommandSpec().parent() == null ? new String[0]
                    : cl.getCommandSpec().usageMessage().header()) {
                assertTrue(h.length() <= HelpLayout.WIDTH - 16, "a summary fits the command list: " + h);
            }
        }
    }

    @Test
    void aManPageForEveryCommandAndACompletionScriptThatKnowsThem(@TempDir Path dir) throws Exception {
        StringWriter sink = new StringWriter();
        int n = ManPages.write(Main.commandLine(new PrintWriter(sink), new PrintWriter(sink)), dir);
        assertEquals(commands().size(), n);
        String maps = Files.readString(dir.resolve("inspector-maps.adoc"));
        assertTrue(maps.contains(":doctype: manpage") && maps.contains("= inspector-maps(1)"), maps);
        assertTrue(maps.contains("*--summary*=_BY_"), maps);
        assertTrue(Files.exists(dir.resolve("inspector-bench-maps.adoc")));

        Cli.Result c = Cli.run("completion");
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().startsWith("#!/usr/bin/env bash"), c.out());
        for (List<String> cmd : commands()) {
            if (cmd.size() == 1) {
                assertTrue(c.out().contains(cmd.get(0)), cmd.toString());
            }
        }
        assertTrue(c.out().contains("thread-stack"), "--kind values complete");
        assertTrue(c.out().contains("cow_fork"), "demo names complete");
        assertTrue(c.out().contains("mprotect"), "lab steps complete");
        assertTrue(c.out().contains("--summary"), "options complete");
    }
}
