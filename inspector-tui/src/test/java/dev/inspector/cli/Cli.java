package dev.inspector.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process, as a user would from a shell, capturing output and the exit code. */
final class Cli {
    record Result(int code, String out, String err) {
    }

    private Cli() {
    }

    /** Output into a pipe in a UTF-8 locale ({@link OutputEnv#pipe()}): every cell whole. */
    static Result run(String... args) {
        return on(OutputEnv.pipe(), args);
    }

    /** Output where {@code output} says: a terminal of some width, another locale, another environment. */
    static Result on(OutputEnv output, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(dev.inspector.core.testing.Live.host(), output, new PrintWriter(out), new PrintWriter(err),
                args);
        return new Result(code, out.toString(), err.toString());
    }
}
