package dev.inspector.core.model;

import java.util.List;

/**
 * Who a process is, from three small files (stat, status, cmdline) and no walk of its address space: enough to decide
 * whether a front end wants it before paying for more. {@code startTime} is stat field 22 (clock ticks since boot),
 * which with the pid identifies the process across PID reuse; {@code uid} is the real uid from status. A kernel thread
 * has no user address space and an empty cmdline.
 */
public record ProcessIdentity(int pid, long startTime, String comm, List<String> cmdline, int uid,
                              boolean kernelThread) {
    public ProcessIdentity {
        cmdline = List.copyOf(cmdline);
    }
}
