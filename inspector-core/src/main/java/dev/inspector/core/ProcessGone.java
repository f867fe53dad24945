package dev.inspector.core;

/**
 * The process existed when the inspection started but exited (or its PID was reused by another process, detected by
 * the start time in {@code stat}) before the inspection finished.
 */
public final class ProcessGone extends InspectorException {
    private final int pid;

    public ProcessGone(int pid, String detail) {
        super("process " + pid + " exited during the read" + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        this.pid = pid;
    }

    public int pid() {
        return pid;
    }

    @Override
    public ExitStatus exitStatus() {
        return ExitStatus.PROCESS_EXITED;
    }
}
