package dev.inspector.core;

/**
 * How a command ends, with its exit code and the one line that documents it: the single table behind every command's
 * {@code --help}, docs/cli.md (checked against it by a test) and the mapping from typed errors
 * ({@link InspectorException#exitStatus()}, which every error type must answer).
 */
public enum ExitStatus {
    OK(0, "Success."),
    INTERNAL(1, "Internal error: a bug or an unexpected system error (rerun with --debug and report it)."),
    USAGE(2, "Usage error: bad option or argument."),
    NO_SUCH_PROCESS(3, "No such process."),
    ACCESS_DENIED(4, "Access denied (run as the target's owner or root)."),
    PROCESS_EXITED(5, "The process has exited: during the read, or before it (a zombie, or one still releasing its"
            + " memory), or its PID was reused."),
    BAD_INPUT(6, "Bad input: malformed /proc text, corrupt snapshot or timeline, bad ELF file, unwritable output."),
    UNSUPPORTED(7, "Unsupported: this kernel or these privileges lack the feature."),
    CLAIM_DIFFERS(8, "A claim checked by measurement (a lab step, a demo's expectation) differs from what the kernel"
            + " showed."),
    SAMPLE_FAILED(9, "A sample program misbehaved: it broke its step protocol, crashed, or did not answer in time."),
    SYSCALL_FAILED(10, "A system call the inspector made failed (the message names the call and its errno)."),
    OUTPUT_FAILED(11, "The output could not be written (a full disk, an I/O error); the command stopped there."),
    KERNEL_THREAD(12, "The process is a kernel thread: it has no user address space to inspect."),
    INTERRUPTED(130, "Interrupted by Ctrl-C (SIGINT); files written stay valid."),
    BROKEN_PIPE(141, "Standard output was closed by its reader (say, piped into head): stopped without a message, the"
            + " status a shell shows for a program ended by SIGPIPE."),
    TERMINATED(143, "Terminated by SIGTERM; files written stay valid.");

    private final int code;
    private final String meaning;

    ExitStatus(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    /** One line, as --help and docs/cli.md print it. */
    public String meaning() {
        return meaning;
    }
}
