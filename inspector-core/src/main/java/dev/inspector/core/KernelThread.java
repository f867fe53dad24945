package dev.inspector.core;

/**
 * The PID names a kernel thread (stat flag PF_KTHREAD): it runs only in the kernel and has no user address space, so
 * there are no mappings, pages or ELF images to show. Told from the world-readable stat before anything else is read,
 * so root and an ordinary user get the same answer (the kernel would refuse an ordinary user its maps and show root an
 * empty one).
 */
public final class KernelThread extends InspectorException {
    private final int pid;

    public KernelThread(int pid, String comm) {
        super("process " + pid + " (" + comm + ") is a kernel thread: it has no user address space to inspect");
        this.pid = pid;
    }

    public int pid() {
        return pid;
    }

    @Override
    public ExitStatus exitStatus() {
        return ExitStatus.KERNEL_THREAD;
    }
}
