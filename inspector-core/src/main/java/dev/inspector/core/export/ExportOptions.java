package dev.inspector.core.export;

import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the exporter reads. {@code pids} and {@code match} choose processes (a process chosen by either is exported;
 * with neither, every process is); {@code uid}, when set, keeps only that user's processes among them. {@code match}
 * is searched (not matched whole) in comm and in the command line joined by spaces. {@code interval}: a collection is
 * reused by every scrape that comes within this time after it started (zero: every scrape reads). {@code breakdown}
 * says which processes get per-kind series; {@code residency} adds per-kind page residency to those (pagemap reads);
 * {@code maxSeries} caps the per-process series of one collection.
 */
public record ExportOptions(Set<Integer> pids, Pattern match, Integer uid, Duration interval, Breakdown breakdown,
                            boolean residency, int maxSeries) {

    /** Default cap: about 90 processes with their per-kind series, or 800 with totals only. */
    public static final int DEFAULT_MAX_SERIES = 10_000;

    /**
     * Which processes get the per-kind breakdown (smaps read and every mapping classified) rather than the totals of
     * smaps_rollup alone. AUTO: those chosen by --pid or --match, none when every process is exported.
     */
    public enum Breakdown { AUTO, ALWAYS, NEVER }

    public ExportOptions {
        pids = Set.copyOf(pids);
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative: " + interval);
        }
        if (maxSeries < 1) {
            throw new IllegalArgumentException("the series cap must be at least 1, not " + maxSeries);
        }
    }

    /** Every process, totals only, a 15 s cache: what {@code inspector exporter} does without options. */
    public static ExportOptions allProcesses() {
        return new ExportOptions(Set.of(), null, null, Duration.ofSeconds(15), Breakdown.AUTO, false,
                DEFAULT_MAX_SERIES);
    }

    /** True when processes are chosen by pid or pattern (not every process). */
    public boolean chooses() {
        return !pids.isEmpty() || match != null;
    }

    /** Whether a process chosen by these options gets the per-kind breakdown. */
    boolean breaksDown() {
        return breakdown == Breakdown.ALWAYS || (breakdown == Breakdown.AUTO && chooses());
    }
}
