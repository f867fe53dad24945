package dev.inspector.cli;

import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one man page per command (inspector, inspector-maps, inspector-bench-maps ...) in AsciiDoc with picocli's
 * ManPageGenerator, from the same command definitions as --help (so a page cannot say what --help does not). Run by
 * the build (exec-maven-plugin, phase prepare-package) into {@code inspector-tui/target/man}; picocli-codegen is needed
 * only there, not in the jar. {@code asciidoctor -b manpage} turns the pages into man(1) pages (see the README).
 */
public final class ManPages {

    private ManPages() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ManPages OUTPUT-DIRECTORY");
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        write(Main.commandLine(sink, sink), dir);
    }

    /** Writes the page of {@code cl} and of every command below it; returns how many were written. */
    static int write(CommandLine cl, Path dir) throws IOException {
        StringWriter page = new StringWriter();
        try (PrintWriter pw = new PrintWriter(page)) {
            ManPageGenerator.writeSingleManPage(pw, cl.getCommandSpec());
        }
        String name = cl.getCommandSpec().qualifiedName("-");
        Files.writeString(dir.resolve(name + ".adoc"), page.toString(), StandardCharsets.UTF_8);
        int n = 1;
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (!sub.getCommandSpec().name().equals("help")) {
                n += write(sub, dir);
            }
        }
        return n;
    }
}
