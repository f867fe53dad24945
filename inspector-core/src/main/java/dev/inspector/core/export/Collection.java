package dev.inspector.core.export;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One read of the chosen processes: every metric family (per-process series first, then the exporter's health), when
 * the read started and how long it took, and what a user should be told about it. {@code warning} is one line (the
 * series cap was reached, a process could not be read) or null; {@code cached} is true when a scrape was served this
 * collection again because it came within the interval.
 */
public record Collection(Instant takenAt, long durationNanos, List<MetricFamily> families, Health health,
                         String warning, boolean cached) {

    /**
     * What the health series say. {@code exported}: processes with series; {@code brokenDown}: those among them with
     * per-kind series; {@code skipped}: chosen processes without series, by reason (every reason present, 0 when
     * none); {@code capped}: processes that got fewer series than asked because of the cap (totals instead of the
     * breakdown, or nothing); {@code series}: per-process series in this collection; {@code maxSeries}: the cap.
     */
    public record Health(int exported, int brokenDown, Map<SkipReason, Integer> skipped, int capped, int series,
                         int maxSeries, long collections) {
        public Health {
            skipped = Map.copyOf(skipped);
        }

        public int skipped(SkipReason r) {
            return skipped.getOrDefault(r, 0);
        }
    }

    public Collection {
        families = List.copyOf(families);
    }

    Collection asCached() {
        return new Collection(takenAt, durationNanos, families, health, warning, true);
    }

    /** The family of this name, or null. */
    public MetricFamily family(String name) {
        for (MetricFamily f : families) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }
}
