package dev.inspector.core;

/**
 * The process exists but has no user address space to inspect: a kernel thread (it runs only in the kernel's half and
 * has no {@code mm}), or a zombie (it has exited, its memory is freed, and only its exit status waits for its parent).
 * Neither is "exited during the read": the inspection could never have found memory there.
 */
public final class NoUserMemory extends InspectorException {
    private final int pid;
    private final boolean kernelThread;

    private NoUserMemory(int pid, boolean kernelThread, String message) {
        super(message);
        this.pid = pid;
        this.kernelThread = kernelThread;
    }

    public static NoUserMemory kernelThread(int pid, String comm) {
        return new NoUserMemory(pid, true, "process " + pid + " (" + comm + ") is a kernel thread: it has no user"
                + " address space to inspect ('inspector ps' shows it as 'kernel')");
    }

    public static NoUserMemory zombie(int pid, String comm, int ppid) {
        return new NoUserMemory(pid, false, "process " + pid + " (" + comm + ") is a zombie: it has exited and its"
                + " memory is freed; only its exit status is left, for its parent (pid " + ppid + ") to collect");
    }

    public int pid() {
        return pid;
    }

    /** True for a kernel thread, false for a zombie. */
    public boolean isKernelThread() {
        return kernelThread;
    }

    @Override
    public ExitStatus exitStatus() {
        return ExitStatus.NO_USER_MEMORY;
    }
}
