package dev.inspector.cli;

import dev.inspector.core.AccessDenied;
import dev.inspector.core.BadInput;
import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.NoSuchProcess;
import dev.inspector.core.ProcessGone;
import dev.inspector.core.UnsupportedFeature;

/** The documented exit codes of every command (listed in {@code inspector --help} and docs/cli.md). */
public final class ExitCodes {
    public static final int OK = 0;
    /** A bug or an unexpected I/O failure: rerun with --debug and report it. */
    public static final int INTERNAL = 1;
    /** Wrong options or arguments. */
    public static final int USAGE = 2;
    /** The PID does not exist. */
    public static final int NO_SUCH_PROCESS = 3;
    /** The kernel refused access to a file of the target (run as its owner or root). */
    public static final int ACCESS_DENIED = 4;
    /** The process exited (or its PID was reused) while it was being read. */
    public static final int PROCESS_EXITED = 5;
    /** Input that cannot be used: malformed /proc text, a corrupt or wrong snapshot, a bad ELF file. */
    public static final int BAD_INPUT = 6;
    /** The kernel or our privileges lack a feature the command needs. */
    public static final int UNSUPPORTED = 7;
    /** A claim checked by measurement (a lab step, a demo's expectation) differs from what the kernel shows. */
    public static final int CLAIM_DIFFERS = 8;
    /** Interrupted by Ctrl-C (SIGINT); output already written stays valid. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }

    public static int of(Throwable t) {
        if (t instanceof NoSuchProcess) {
            return NO_SUCH_PROCESS;
        }
        if (t instanceof AccessDenied) {
            return ACCESS_DENIED;
        }
        if (t instanceof ProcessGone) {
            return PROCESS_EXITED;
        }
        if (t instanceof MalformedProcFile || t instanceof BadInput) {
            return BAD_INPUT;
        }
        if (t instanceof UnsupportedFeature) {
            return UNSUPPORTED;
        }
        return INTERNAL;
    }
}
