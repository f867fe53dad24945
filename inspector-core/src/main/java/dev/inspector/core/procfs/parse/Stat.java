package dev.inspector.core.procfs.parse;

/**
 * {@code /proc/PID/stat} or {@code /proc/PID/task/TID/stat}, fields named and numbered as in proc(5). Times are in
 * clock ticks ({@code sysconf(_SC_CLK_TCK)}), {@code vsize} in bytes, {@code rssPages} in pages. Addresses are
 * unsigned. The kernel shows {@code startStack}, {@code kstkEsp}, {@code kstkEip} and fields 45-51 as 0 unless the
 * reader may ptrace the target, and {@code kstkEsp}/{@code kstkEip} are 0 for any running task since 4.x.
 *
 * <p>Fields 45-52 appeared in Linux 3.3 (45-47) and 3.5 (48-52); they are null when an older kernel did not write
 * them.
 */
public record Stat(int pid, String comm, char state, int ppid, int pgrp, int session, int ttyNr, int tpgid,
                   long flags, long minflt, long cminflt, long majflt, long cmajflt, long utime, long stime,
                   long cutime, long cstime, long priority, long nice, int numThreads, long startTime, long vsize,
                   long rssPages, long rssLimit, long startCode, long endCode, long startStack, long kstkEsp,
                   long kstkEip, int processor, Long startData, Long endData, Long startBrk, Long argStart,
                   Long argEnd, Long envStart, Long envEnd, Integer exitCode) {

    /** PF_KTHREAD in include/linux/sched.h: the task is a kernel thread (no user address space). */
    public static final long PF_KTHREAD = 0x00200000L;

    /** PF_EXITING in include/linux/sched.h: the task is in do_exit(); its memory may already be released. */
    public static final long PF_EXITING = 0x00000004L;

    public boolean isKernelThread() {
        return (flags & PF_KTHREAD) != 0;
    }

    /**
     * This task has exited or is exiting: a zombie (Z), dead (X), or past the start of do_exit() (PF_EXITING). For a
     * thread-group leader that alone does not mean the process is gone: its other threads may run on (a leader that
     * called pthread_exit stays a zombie until the last thread exits).
     */
    public boolean exitingOrDead() {
        return state == 'Z' || state == 'X' || (flags & PF_EXITING) != 0;
    }
}
