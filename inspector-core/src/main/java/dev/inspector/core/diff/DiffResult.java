package dev.inspector.core.diff;

import dev.inspector.core.model.ProcessInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything that differs between two snapshots, in a shape a presenter can render without re-deriving facts.
 * {@code changes} are in address order and cover every region that is not identical on both sides, so applying them
 * to the first snapshot's regions gives the second's (what timelines rely on).
 */
public record DiffResult(Side before, Side after, DiffOptions.Match match, List<RegionChange> changes, Totals totals,
                         List<BaseShift> bases, List<ModuleShift> modules, ProcessDelta process) {

    public DiffResult {
        changes = List.copyOf(changes);
        bases = List.copyOf(bases);
        modules = List.copyOf(modules);
    }

    /** Which snapshot a side is: the process and the instant. */
    public record Side(int pid, long startTime, String comm, Instant takenAt, int mappings) {
    }

    /**
     * Totals over all regions: mapped bytes, and Rss/Pss/Swap summed over the regions' smaps (null when some region
     * lacks them) and from smaps_rollup (null when not read).
     */
    public record Totals(int mappingsBefore, int mappingsAfter, long sizeBefore, long sizeAfter, Usage usageBefore,
                         Usage usageAfter, Usage rollupBefore, Usage rollupAfter) {
        public long sizeDelta() {
            return sizeAfter - sizeBefore;
        }

        public Usage usageDelta() {
            return Usage.delta(usageBefore, usageAfter);
        }

        public Usage rollupDelta() {
            return Usage.delta(rollupBefore, rollupAfter);
        }
    }

    /**
     * One ASLR-relevant base ({@code exeBase}, {@code heapStart}, {@code brk}, {@code stackTop}, {@code mmapBase},
     * {@code vdso}); null where a snapshot does not know it.
     */
    public record BaseShift(String name, Long before, Long after) {
        /** {@code after - before} (two's complement, so a move down is negative), or null when either is unknown. */
        public Long delta() {
            return before == null || after == null ? null : after - before;
        }

        public boolean moved() {
            return before != null && after != null && before.longValue() != after.longValue();
        }
    }

    /**
     * A module (the executable or a library, by path) and its load base on each side: the lowest {@code start - offset}
     * of its file mappings. Null on the side where the module is not mapped.
     */
    public record ModuleShift(String module, Long baseBefore, Long baseAfter) {
        public Long shift() {
            return baseBefore == null || baseAfter == null ? null : baseAfter - baseBefore;
        }
    }

    /** A field of {@code status} memory (VmRSS, VmStk, ...) in bytes on each side; null where absent. */
    public record FieldDelta(String name, Long before, Long after) {
        public Long delta() {
            return before == null || after == null ? null : after - before;
        }
    }

    /**
     * Process counters: page faults (stat minflt/majflt), thread count, threads that appeared or went away, and the
     * memory lines of status. {@code sameProcess} is false when pid or start time differ (two runs, or PID reuse).
     */
    public record ProcessDelta(boolean sameProcess, long minorFaultsBefore, long minorFaultsAfter, long majorFaultsBefore,
                               long majorFaultsAfter, int threadCountBefore, int threadCountAfter,
                               List<Integer> threadsStarted, List<Integer> threadsExited, List<FieldDelta> statusMemory) {
        public ProcessDelta {
            threadsStarted = List.copyOf(threadsStarted);
            threadsExited = List.copyOf(threadsExited);
            statusMemory = List.copyOf(statusMemory);
        }

        public long minorFaultsDelta() {
            return minorFaultsAfter - minorFaultsBefore;
        }

        public long majorFaultsDelta() {
            return majorFaultsAfter - majorFaultsBefore;
        }
    }

    /** Time between the two snapshots. */
    public Duration elapsed() {
        return Duration.between(before.takenAt(), after.takenAt());
    }

    /** The changes that have the given aspect. */
    public List<RegionChange> changes(Aspect aspect) {
        List<RegionChange> out = new ArrayList<>();
        for (RegionChange c : changes) {
            if (c.has(aspect)) {
                out.add(c);
            }
        }
        return out;
    }

    /** True when nothing but the instant differs. */
    public boolean isEmpty() {
        if (!changes.isEmpty()) {
            return false;
        }
        for (BaseShift b : bases) {
            if (b.moved()) {
                return false;
            }
        }
        return process.minorFaultsDelta() == 0 && process.majorFaultsDelta() == 0
                && process.threadsStarted().isEmpty() && process.threadsExited().isEmpty();
    }

    static Side side(ProcessInfo p, Instant at, int mappings) {
        return new Side(p.pid(), p.startTime(), p.comm(), at, mappings);
    }
}
