package dev.inspector.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * Base of every command: output goes through picocli's writers (so tests capture it), {@code --debug} is inherited by
 * every subcommand, and {@link #execute()} returns an exit code from {@link ExitCodes}. Errors are thrown as
 * {@code InspectorException}s and turned into one line by {@link Main}.
 */
public abstract class BaseCommand implements Callable<Integer> {

    @Spec
    protected CommandSpec spec;

    @Option(names = "--debug",
            description = "Show stack traces of errors (for bug reports).")
    protected boolean debug;

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    @Override
    public final Integer call() throws Exception {
        int code = execute();
        out().flush();
        return code;
    }

    protected abstract int execute() throws Exception;

    /** Evaluates an option value; an IllegalArgumentException from it is a usage error (exit 2), not a bug. */
    protected <T> T option(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The colour policy a {@code --color} option asks for. */
    protected dev.inspector.present.Style style(ColorOption color) {
        return option(() -> dev.inspector.present.Style.forMode(color.when));
    }
}
