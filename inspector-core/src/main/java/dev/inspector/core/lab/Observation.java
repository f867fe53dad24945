package dev.inspector.core.lab;

import dev.inspector.core.model.Mapping;

import java.util.List;

/**
 * What the lab measured of its own process at one moment, for one range. {@code lines} are the maps lines overlapping
 * the range (whole lines, as the kernel prints them); {@code before}/{@code after} the neighbouring lines (null at the
 * ends of the address space). {@code pages} is pagemap over the mapped parts of the range, {@code rssBytes} the smaps
 * Rss summed over {@code lines}, {@code threadMinflt} the minor faults of the lab's own thread
 * ({@code /proc/self/task/TID/stat} field 10: other JVM threads fault too, so the process total would be noise), read as close to the step as possible: last
 * when observing before it, first when observing after it.
 * {@code brk} is the kernel's program break ({@code brk(0)}), {@code heap} the {@code [heap]} line or null, and
 * {@code startBrk} stat field 47 (start_brk).
 */
public record Observation(Range range, List<Mapping> lines, Mapping previous, Mapping next, Pages pages,
                          long rssBytes, int tid, long threadMinflt, long brk, Mapping heap, long startBrk) {

    public Observation {
        lines = List.copyOf(lines);
    }

    /** True when no maps line overlaps the range. */
    public boolean unmapped() {
        return lines.isEmpty();
    }
}
