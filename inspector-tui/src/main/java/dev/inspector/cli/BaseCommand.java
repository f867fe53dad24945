package dev.inspector.cli;

import dev.inspector.core.session.Host;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * Base of every command: output goes through the writers {@link Main#run} was given (so tests capture it),
 * {@code --debug} is inherited by every subcommand, and {@link #execute()} returns an exit code from {@link ExitCodes}. Errors are thrown as
 * {@code InspectorException}s and turned into one line by {@link Main}.
 */
public abstract class BaseCommand implements Callable<Integer> {

    @Spec
    protected CommandSpec spec;

    @Option(names = "--debug",
            description = "Show stack traces of errors (for bug reports).")
    protected boolean debug;

    /** The machine being inspected, given by {@link Main} (one per inspector process). */
    private Host host;

    void useHost(Host host) {
        this.host = host;
    }

    /** The inspection host: every read of a process goes through it ({@code host().session(pid)}). */
    protected Host host() {
        if (host == null) {
            host = Host.system(VersionProvider.version()); // a command built outside Main (picocli's own tools)
        }
        return host;
    }

    /** Set when {@link QuickArgs} built this command without picocli (then {@link #spec} is null). */
    private PrintWriter quickOut;
    private PrintWriter quickErr;

    void useWriters(PrintWriter out, PrintWriter err) {
        this.quickOut = out;
        this.quickErr = err;
    }

    protected PrintWriter out() {
        return spec != null ? spec.commandLine().getOut() : quickOut;
    }

    protected PrintWriter err() {
        return spec != null ? spec.commandLine().getErr() : quickErr;
    }

    @Override
    public final Integer call() throws Exception {
        int code = execute();
        // PrintWriter records a failed write instead of throwing: ask it, so that no output error goes unreported
        // (JSON written straight to the writer; tables stop earlier, in the renderer).
        if (out().checkError() && checksOutput()) {
            throw new dev.inspector.present.OutputFailed();
        }
        return code;
    }

    /** False for a command that reports a failed write of standard output itself ({@code watch}). */
    protected boolean checksOutput() {
        return true;
    }

    protected abstract int execute() throws Exception;

    /** Evaluates an option value; an IllegalArgumentException from it is a usage error (exit 2), not a bug. */
    protected <T> T option(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** A usage error to throw: one line and a pointer to this command's help, exit 2. */
    protected UsageError usage(String message) {
        return new UsageError(message);
    }

    /** The colour policy a {@code --color} option asks for. */
    protected dev.inspector.present.Style style(ColorOption color) {
        return option(() -> dev.inspector.present.Style.forMode(color.when));
    }
}
