package dev.inspector.cli;

import java.io.OutputStream;
import java.io.PrintWriter;

/**
 * The training run of the launcher's class-data archive: runs the everyday commands on the inspector's own process,
 * in one JVM, so that the list of classes they load (written by {@code -XX:DumpLoadedClassList}) covers the quick
 * path, picocli's path (help, errors), JSON, the native layer and the presenters. Output is discarded; nothing is
 * written to disk, and the only target is this process (read-only, like every command without a --mark option).
 */
public final class StartupTraining {

    private StartupTraining() {
    }

    public static void main(String[] args) {
        PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream());
        String[][] runs = {
            {"maps", "self"},
            {"maps", "self", "--width", "80"},
            {"maps", "self", "--summary", "kind"},
            {"maps", "--json", "--kind", "heap,stack", "self"},
            {"snapshot", "self", "--pages"},
            {"ps", "--limit", "5"},
            {"pages", "self", "--mapping", "1"},
            {"translate", "self", "0x1000"},
            {"lab", "--list"},
            {"maps", "--help"},
            {"maps", "--no-such-option", "self"},
            {"--version"},
        };
        for (String[] run : runs) {
            Main.run(sink, sink, run);
        }
        sink.flush();
    }
}
