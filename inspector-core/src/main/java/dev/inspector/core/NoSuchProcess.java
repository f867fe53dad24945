package dev.inspector.core;

/**
 * The PID named by the user does not exist (it was never there when the inspection started), or no process matches
 * the name the user gave.
 */
public final class NoSuchProcess extends InspectorException {
    private final int pid;

    public NoSuchProcess(int pid) {
        super("no such process: " + pid);
        this.pid = pid;
    }

    /** No process answers to a description ("no process is named x"); {@link #pid()} is then -1. */
    public NoSuchProcess(String message) {
        super(message);
        this.pid = -1;
    }

    /** The PID asked for, or -1 when processes were asked for by another description (a name). */
    public int pid() {
        return pid;
    }

    @Override
    public ExitStatus exitStatus() {
        return ExitStatus.NO_SUCH_PROCESS;
    }
}
