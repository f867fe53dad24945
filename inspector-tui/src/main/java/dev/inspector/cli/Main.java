package dev.inspector.cli;

import dev.inspector.core.InspectorException;
import dev.inspector.core.WriteFailed;
import dev.inspector.present.Escape;
import dev.inspector.core.session.Host;
import dev.inspector.present.OutputFailed;
import picocli.CommandLine;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Entry point. {@link #run} is what tests call: it never exits the JVM and writes only to the given writers. Errors a
 * user can act on become one line on stderr and a documented exit code; a stack trace only with {@code --debug}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if ("1".equals(System.getenv("INSPECTOR_TRACE"))) {
            dev.inspector.core.Trace.to(line -> System.err.println("[trace] " + line));
        }
        PrintWriter out = new StandardOutput(new FileOutputStream(FileDescriptor.out));
        PrintWriter err = new PrintWriter(new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        int code = run(Host.system(VersionProvider.version()), OutputEnv.system(), out, err, args);
        out.flush();
        err.flush();
        if (shutdownInProgress()) {
            // SIGINT or SIGTERM is ending the JVM: its hooks ran (removing the file being written), which may be why
            // the run failed. Its status (130, 143) must stand, but System.exit with a non-zero code once the hooks
            // are done halts at once with that code (Shutdown.exit). The signal's own exit is moments away.
            while (true) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    // keep waiting for the halt
                }
            }
        }
        System.exit(code);
    }

    /** Whether the JVM has begun to shut down (a signal): a hook can no longer be added then. */
    static boolean shutdownInProgress() {
        Thread probe = new Thread(() -> { }, "shutdown-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    /** Runs with a host of its own on the live kernel. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(Host.system(VersionProvider.version()), out, err, args);
    }

    /**
     * Runs a command line against {@code host} (tests share one, so the kernel-feature probe runs once), writing as
     * into a pipe (see {@link OutputEnv#pipe()}).
     */
    public static int run(Host host, PrintWriter out, PrintWriter err, String... args) {
        return run(host, OutputEnv.pipe(), out, err, args);
    }

    /**
     * Runs a command line against {@code host}, its output going where {@code output} says. Whatever the command, a
     * failed write of standard output is never ignored: a reader that went away ends the run quietly with 141 (what a
     * shell shows for a tool killed by SIGPIPE), any other write error is one line and exit 11.
     */
    public static int run(Host host, OutputEnv output, PrintWriter out, PrintWriter err, String... args) {
        int code = runCommand(host, output, out, err, args);
        out.flush();
        if (code != ExitCodes.BROKEN_PIPE && code != ExitCodes.OUTPUT_FAILED && out.checkError()) {
            return outputFailed(out, err);
        }
        return code;
    }

    private static int runCommand(Host host, OutputEnv output, PrintWriter out, PrintWriter err, String... args) {
        dev.inspector.core.Trace.mark("main: start");
        BaseCommand quick = QuickArgs.parse(args);
        dev.inspector.core.Trace.mark(quick != null ? "main: quick path" : "main: picocli path");
        if (quick != null) {
            quick.useHost(host);
            quick.useOutput(output);
            return runQuick(quick, "inspector " + args[0], out, err);
        }
        String unknown = Suggest.unknownCommand(args, InspectorCommand.SUBCOMMANDS.keySet());
        if (unknown != null) {
            return usageError(unknown, "inspector", out, err);
        }
        CommandLine cl = commandLine(host, output, out, err, args);
        return cl.execute(args);
    }

    /** Runs a command {@link QuickArgs} built, reporting errors exactly as the picocli path does. */
    private static int runQuick(BaseCommand command, String qualifiedName, PrintWriter out, PrintWriter err) {
        command.useWriters(out, err);
        try {
            return command.call();
        } catch (UsageError e) {
            return usageError(e.getMessage(), qualifiedName, out, err);
        } catch (Exception e) {
            return failure(e, command.debug, out, err);
        }
    }

    /** The command line with every subcommand registered (for help, completion and docs). */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(Host.system(VersionProvider.version()), OutputEnv.pipe(), out, err, new String[0]);
    }

    /**
     * The command line for these arguments: when the first argument names a subcommand, only that one is registered
     * (picocli builds each command's model by reflection, which dominates start-up); otherwise all of them.
     */
    static CommandLine commandLine(Host host, OutputEnv output, PrintWriter out, PrintWriter err, String[] args) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K k = defaults.create(cls);
                if (k instanceof BaseCommand b) {
                    b.useHost(host);
                    b.useOutput(output);
                }
                return k;
            }
        };
        InspectorCommand top = new InspectorCommand();
        top.useHost(host);
        top.useOutput(output);
        CommandLine cl = new CommandLine(top, factory);
        String first = null;
        for (String a : args) {
            if (!a.startsWith("-")) {
                first = a;
                break;
            }
        }
        Class<?> only = first == null || "help".equals(first) ? null : InspectorCommand.SUBCOMMANDS.get(first);
        if (only != null) {
            cl.addSubcommand(first, only);
        } else {
            for (java.util.Map.Entry<String, Class<?>> e : InspectorCommand.SUBCOMMANDS.entrySet()) {
                cl.addSubcommand(e.getKey(), e.getValue());
            }
        }
        // Every command's help has one layout and lists the one exit-code table (ExitStatus); every command prints
        // the version.
        cl.getCommandSpec().usageMessage().exitCodeList(ExitCodes.helpTable());
        HelpLayout.apply(cl);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof UsageError) {
                return usageError(ex.getMessage(), commandLine.getCommandSpec().qualifiedName(), out,
                        commandLine.getErr());
            }
            return failure(ex, parseResult.originalArgs().contains("--debug"), out, commandLine.getErr());
        });
        cl.setParameterExceptionHandler((ex, badArgs) -> usageError(Suggest.explain(ex, args),
                ex.getCommandLine().getCommandSpec().qualifiedName(), out, ex.getCommandLine().getErr()));
        return cl;
    }

    /** A usage error: one line, a pointer to the command's help, exit 2. */
    private static int usageError(String message, String qualifiedName, PrintWriter out, PrintWriter err) {
        out.flush();
        err.println("inspector: " + Escape.controls(message));
        err.println("Try '" + qualifiedName + " --help' for more information.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /**
     * Standard output could not be written: quietly 141 when its reader went away (EPIPE; GNU tools die of SIGPIPE
     * there, which a shell shows as 141), else one line naming the error and 11.
     */
    static int outputFailed(PrintWriter out, PrintWriter err) {
        java.io.IOException cause = StandardOutput.failureOf(out);
        if (WriteFailed.isBrokenPipe(cause)) {
            return ExitCodes.BROKEN_PIPE;
        }
        err.println("inspector: cannot write standard output" + (cause == null ? "" : ": " + WriteFailed.reason(cause))
                + "; stopped");
        err.flush();
        return ExitCodes.OUTPUT_FAILED;
    }

    /** A failure while a command ran: one line and its exit code; the stack trace only with --debug. */
    private static int failure(Exception ex, boolean debug, PrintWriter out, PrintWriter err) {
        if (ex instanceof OutputFailed) {
            return outputFailed(out, err);
        }
        if (ex instanceof WriteFailed w && w.brokenPipe()) {
            return ExitCodes.BROKEN_PIPE;
        }
        out.flush();
        // Text from outside (a target's names, a hostile file's strings) is escaped where it is quoted; controls that
        // reach this line anyway are escaped here, so no error line can drive the terminal.
        err.println("inspector: " + Escape.controls(message(ex)));
        if (debug) {
            ex.printStackTrace(err);
        } else if (ExitCodes.of(ex) == ExitCodes.INTERNAL) {
            err.println("inspector: this is a bug or an unexpected system error; rerun with --debug for details");
        }
        err.flush();
        return ExitCodes.of(ex);
    }

    private static String message(Exception ex) {
        if (ex instanceof InspectorException) {
            return ex.getMessage();
        }
        if (ex instanceof UncheckedIOException && ex.getCause() != null) {
            return ex.getMessage();
        }
        if (ex instanceof IllegalArgumentException || ex instanceof OutputFailed) {
            return ex.getMessage();
        }
        String m = ex.getMessage();
        return ex.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
