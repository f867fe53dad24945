package dev.inspector.cli;

import dev.inspector.core.session.Host;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
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

    /** Where output goes and how it may look, given by {@link Main}. */
    private OutputEnv output;

    void useOutput(OutputEnv output) {
        this.output = output;
    }

    /** The run's output environment: terminal or not, its width, the locale, NO_COLOR. */
    protected OutputEnv output() {
        if (output == null) {
            output = OutputEnv.pipe(); // a command built outside Main (picocli's own tools)
        }
        return output;
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
        if (display() != null) {
            output().startProbe(); // on a terminal, its width is read while the command reads /proc
        }
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

    /**
     * Evaluates an option value that must be one of {@code known} (kinds, sort keys, demo names, ...): as
     * {@link #option}, and a value that is not one of them is answered with the nearest one ("did you mean"), placed
     * right after the value the message quotes.
     */
    protected <T> T choice(String given, Iterable<String> known, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            List<String> all = new ArrayList<>();
            known.forEach(all::add);
            String near = given == null ? null : Suggest.closest(given.trim().toLowerCase(java.util.Locale.ROOT), all);
            String msg = e.getMessage();
            String quoted = "'" + given + "'";
            int at = msg == null ? -1 : msg.indexOf(quoted);
            if (near != null && at >= 0) {
                msg = msg.substring(0, at + quoted.length()) + " (did you mean '" + near + "'?)"
                        + msg.substring(at + quoted.length());
            }
            throw usage(msg);
        }
    }

    /** Refuses two options given together that cannot be (exit 2, as every conflict of options). */
    protected void exclusive(String a, boolean hasA, String b, boolean hasB) {
        if (hasA && hasB) {
            throw usage(a + " and " + b + " cannot be combined");
        }
    }

    /** A PID argument ({@code self} or a positive number); anything else is a usage error naming it. */
    protected int pid(String text) {
        try {
            return new PidConverter().convert(text);
        } catch (picocli.CommandLine.TypeConversionException e) {
            throw usage(e.getMessage());
        }
    }

    /** A usage error to throw: one line and a pointer to this command's help, exit 2. */
    protected UsageError usage(String message) {
        return new UsageError(message);
    }

    /**
     * The display options of a command that draws text this run, or null (a command that writes only JSON, or one
     * asked for JSON now): it is asked first, so that on a terminal the width is probed while the command works.
     */
    protected DisplayOptions display() {
        return null;
    }

    /**
     * The samples directory named by a {@code --samples DIR} option, or found as {@code demo} finds it when the option
     * is absent. The option is a string, not a path, so the quick argument path fills it (it takes strings only).
     */
    protected static java.util.Optional<dev.inspector.core.demo.SampleDirectory> findSamples(String dir) {
        return dev.inspector.core.demo.SampleDirectory.find(dir == null ? null : java.nio.file.Path.of(dir));
    }

    /** The style the display options and the output environment ask for: colour or not, ASCII only or not. */
    protected dev.inspector.present.Style style(DisplayOptions d) {
        boolean terminal = output().terminal().isTerminal();
        return option(() -> dev.inspector.present.Style.forMode(d.color, terminal, output().env()))
                .ascii(!output().utf8());
    }

    /**
     * The renderer for this run: fitted to the terminal's width (or {@code --width}), whole into a pipe or a file or
     * with {@code --wide}. Conflicting or impossible values are usage errors.
     */
    protected dev.inspector.present.TextRenderer renderer(DisplayOptions d) {
        return new dev.inspector.present.TextRenderer(style(d), width(d));
    }

    /** The width output is fitted to under these options: 0 for none. */
    protected int width(DisplayOptions d) {
        if (d.wide && d.width != null) {
            throw usage("--wide and --width cannot be combined: --wide shows everything whole, --width fits a width");
        }
        if (d.width != null && d.width != 0
                && (d.width < dev.inspector.core.session.Terminal.MIN_COLUMNS || d.width > 10_000)) {
            throw usage("--width takes 0 (never fit) or " + dev.inspector.core.session.Terminal.MIN_COLUMNS
                    + " to 10000 columns, not " + d.width);
        }
        if (d.wide) {
            return 0;
        }
        if (d.width != null) {
            return d.width;
        }
        dev.inspector.core.session.Terminal t = output().terminal();
        return t.isTerminal() ? t.columns() : 0;
    }
}
