package dev.inspector.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process, as a user would from a shell, capturing output and the exit code. */
final class Cli {
    record Result(int code, String out, String err) {
    }

    private Cli() {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(dev.inspector.core.testing.Live.host(), new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }
}
