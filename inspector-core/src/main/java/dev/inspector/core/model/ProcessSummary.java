package dev.inspector.core.model;

import java.util.Map;

/**
 * A process's memory and activity totals without classifying its mappings: what the kernel sums for us. The figures
 * come from smaps_rollup ({@code rollup}: one pass over the page tables, the same fields as smaps summed over every
 * mapping), the number of maps lines ({@code mappings}), stat (faults summed over all threads, live and exited, and
 * the thread count) and the Vm/Rss lines of status in bytes ({@code statusMemory}). {@code rollup} is null and
 * {@code mappings} 0 for a process without a user address space (a kernel thread). Files read one after the other, so
 * figures of a running process may be a few pages apart from one file to the next.
 */
public record ProcessSummary(ProcessIdentity identity, char state, long minorFaults, long majorFaults, int threads,
                             Map<String, Long> statusMemory, Smaps rollup, int mappings) {
    public ProcessSummary {
        statusMemory = Map.copyOf(statusMemory);
    }

    public int pid() {
        return identity.pid();
    }
}
