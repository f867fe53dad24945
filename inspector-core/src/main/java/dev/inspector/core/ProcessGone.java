package dev.inspector.core;

/**
 * The process has exited: during the inspection (its directory vanished, it became a zombie, or its PID now belongs to
 * another process, detected by the start time in {@code stat}), or already before it ({@link #zombie},
 * {@link #exiting}): a zombie keeps only its pid and exit status, and a process releasing its memory is refused or
 * shown empty by the kernel.
 */
public final class ProcessGone extends InspectorException {
    private final int pid;

    public ProcessGone(int pid, String detail) {
        super("process " + pid + " exited during the read" + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        this.pid = pid;
    }

    private ProcessGone(String message, int pid) {
        super(message);
        this.pid = pid;
    }

    /** A zombie when the inspection started: it has exited and its parent has not collected its status yet. */
    public static ProcessGone zombie(int pid, int ppid) {
        return new ProcessGone("process " + pid + " is a zombie: it has exited and its parent (pid " + ppid
                + ") has not collected its exit status yet; no memory is left to inspect", pid);
    }

    /** Exiting when the inspection started: every thread is past exit(), its memory is being released. */
    public static ProcessGone exiting(int pid) {
        return new ProcessGone("process " + pid + " is exiting: its memory is being released, nothing is left to"
                + " inspect", pid);
    }

    public int pid() {
        return pid;
    }

    @Override
    public ExitStatus exitStatus() {
        return ExitStatus.PROCESS_EXITED;
    }
}
