package dev.inspector.core.model;

import java.time.Instant;
import java.util.List;

/**
 * Everything the inspector knows about one process at one instant. Every view (tables, JSON, diff, TUI) renders this
 * one immutable tree; none re-reads /proc.
 */
public record Snapshot(int schemaVersion, String toolVersion, Instant takenAt, HostInfo host, ProcessInfo process,
                       List<Region> regions, List<ThreadInfo> threads, AslrBases bases, KernelLayout kernel,
                       Smaps rollup) {

    /**
     * The version of the JSON format this inspector writes. 2: kinds and diff aspects are spelled as the tables spell
     * them ("thread-stack", "grew-up"), not as enum constants ("THREAD_STACK"). Version 1 files are still read.
     */
    public static final int SCHEMA_VERSION = 2;

    /** The oldest schema version the readers accept. */
    public static final int OLDEST_READABLE_VERSION = 1;

    public Snapshot {
        regions = List.copyOf(regions);
        threads = List.copyOf(threads);
    }
}
