package dev.inspector.core;

/** The PID named by the user does not exist (it was never there when the inspection started). */
public final class NoSuchProcess extends InspectorException {
    private final int pid;

    public NoSuchProcess(int pid) {
        super("no such process: " + pid);
        this.pid = pid;
    }

    public int pid() {
        return pid;
    }

    @Override
    public ExitStatus exitStatus() {
        return ExitStatus.NO_SUCH_PROCESS;
    }
}
