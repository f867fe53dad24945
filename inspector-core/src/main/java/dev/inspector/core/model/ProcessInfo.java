package dev.inspector.core.model;

import java.util.List;
import java.util.Map;

/**
 * Identity and counters of the inspected process. {@code startTime} is field 22 of stat (clock ticks since boot): with
 * the pid it identifies the process across PID reuse. {@code statusMemory} holds the Vm and Rss lines of status in
 * bytes. Stack limits are in bytes, -1 meaning unlimited.
 */
public record ProcessInfo(int pid, long startTime, String comm, List<String> cmdline, String exe, int uid,
                          String state, long minorFaults, long majorFaults, int threadCount,
                          Map<String, Long> statusMemory, long stackLimitSoft, long stackLimitHard) {
    public ProcessInfo {
        cmdline = List.copyOf(cmdline);
        statusMemory = Map.copyOf(statusMemory);
    }
}
