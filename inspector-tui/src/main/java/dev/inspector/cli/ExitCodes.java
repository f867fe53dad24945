package dev.inspector.cli;

import dev.inspector.core.ExitStatus;
import dev.inspector.core.InspectorException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes as int constants for picocli and tests; the table itself (codes and meanings) is {@link ExitStatus},
 * from which every command's --help is generated and docs/cli.md is checked.
 */
public final class ExitCodes {
    public static final int OK = ExitStatus.OK.code();
    public static final int INTERNAL = ExitStatus.INTERNAL.code();
    public static final int USAGE = ExitStatus.USAGE.code();
    public static final int NO_SUCH_PROCESS = ExitStatus.NO_SUCH_PROCESS.code();
    public static final int ACCESS_DENIED = ExitStatus.ACCESS_DENIED.code();
    public static final int PROCESS_EXITED = ExitStatus.PROCESS_EXITED.code();
    public static final int BAD_INPUT = ExitStatus.BAD_INPUT.code();
    public static final int UNSUPPORTED = ExitStatus.UNSUPPORTED.code();
    public static final int CLAIM_DIFFERS = ExitStatus.CLAIM_DIFFERS.code();
    public static final int SAMPLE_FAILED = ExitStatus.SAMPLE_FAILED.code();
    public static final int SYSCALL_FAILED = ExitStatus.SYSCALL_FAILED.code();
    public static final int OUTPUT_FAILED = ExitStatus.OUTPUT_FAILED.code();
    public static final int KERNEL_THREAD = ExitStatus.KERNEL_THREAD.code();
    public static final int INTERRUPTED = ExitStatus.INTERRUPTED.code();
    public static final int BROKEN_PIPE = ExitStatus.BROKEN_PIPE.code();
    public static final int TERMINATED = ExitStatus.TERMINATED.code();

    private ExitCodes() {
    }

    /** The exit code of a failure: the typed error's own, internal for anything else. */
    public static int of(Throwable t) {
        if (t instanceof dev.inspector.present.OutputFailed) {
            return OUTPUT_FAILED;
        }
        return t instanceof InspectorException e ? e.exitStatus().code() : INTERNAL;
    }

    /** The table for picocli's usage help: code → meaning, in order. */
    static Map<String, String> helpTable() {
        Map<String, String> m = new LinkedHashMap<>();
        for (ExitStatus s : ExitStatus.values()) {
            m.put(Integer.toString(s.code()), s.meaning());
        }
        return m;
    }
}
