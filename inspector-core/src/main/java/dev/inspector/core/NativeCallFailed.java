package dev.inspector.core;

/** A system call failed; names the call and the errno symbolically (EACCES, not 13). */
public final class NativeCallFailed extends InspectorException {
    private final String call;
    private final int errno;
    private final String errnoName;

    public NativeCallFailed(String call, int errno, String errnoName, String detail) {
        super(call + " failed: " + errnoName + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        this.call = call;
        this.errno = errno;
        this.errnoName = errnoName;
    }

    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }

    public String errnoName() {
        return errnoName;
    }

    @Override
    public ExitStatus exitStatus() {
        return ExitStatus.SYSCALL_FAILED;
    }
}
