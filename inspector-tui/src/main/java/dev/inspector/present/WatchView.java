package dev.inspector.present;

import dev.inspector.core.diff.Aspect;
import dev.inspector.core.diff.DiffResult;
import dev.inspector.core.diff.RegionChange;
import dev.inspector.core.model.Snapshot;

import java.time.Duration;
import java.util.Locale;

/** The progress lines of {@code inspector watch -o FILE}: one per point written. Pure: snapshots in, lines out. */
public final class WatchView {

    private WatchView() {
    }

    /** "point 0: comm pid N, M mappings, rss R". */
    public static Line first(Snapshot s, int pid) {
        return Line.of("point 0: " + Escape.forTerminal(s.process().comm()) + " pid " + pid + ", "
                + s.regions().size() + " mappings, rss " + rss(s));
    }

    /** "point k (+t s): N mappings (+d), a added, r removed, c changed, rss R (+dR)", the counts in their roles. */
    public static Line progress(int k, Snapshot first, Snapshot s, DiffResult d) {
        return progress(k, first, s, d, 0);
    }

    /**
     * The progress line of a point whose read was torn {@code retries} times by the target changing its mappings
     * before a whole one came (issue 9: the point is consistent, and says it was read again).
     */
    public static Line progress(int k, Snapshot first, Snapshot s, DiffResult d, int retries) {
        int added = d.changes(Aspect.ADDED).size();
        int removed = d.changes(Aspect.REMOVED).size();
        int changed = 0;
        for (RegionChange c : d.changes()) {
            if (c.significant() && !c.has(Aspect.ADDED) && !c.has(Aspect.REMOVED)) {
                changed++;
            }
        }
        int mapDelta = d.totals().mappingsAfter() - d.totals().mappingsBefore();
        double at = Duration.between(first.takenAt(), s.takenAt()).toMillis() / 1000.0;
        return Line.of(
                Span.plain(String.format(Locale.ROOT, "point %d (+%.3fs): %d mappings (%s), ", k, at,
                        s.regions().size(), mapDelta > 0 ? "+" + mapDelta : Integer.toString(mapDelta))),
                Span.of(added > 0 ? Role.ADDED : Role.PLAIN, added + " added"),
                Span.plain(", "),
                Span.of(removed > 0 ? Role.REMOVED : Role.PLAIN, removed + " removed"),
                Span.plain(", "),
                Span.of(changed > 0 ? Role.CHANGED : Role.PLAIN, changed + " changed"),
                Span.plain(", rss " + rss(s) + " (" + (d.totals().rollupDelta() == null ? "?"
                        : Format.delta(d.totals().rollupDelta().rss())) + ")" + retried(retries)));
    }

    /** "point 0: ..." with the torn reads it took, as {@link #progress(int, Snapshot, Snapshot, DiffResult, int)}. */
    public static Line first(Snapshot s, int pid, int retries) {
        return Line.of(first(s, pid).text() + retried(retries));
    }

    private static String retried(int retries) {
        return retries == 0 ? "" : "; read again " + retries + (retries == 1 ? " time" : " times")
                + " (torn by the target's own mapping changes)";
    }

    private static String rss(Snapshot s) {
        return s.rollup() == null ? "?" : Format.size(s.rollup().rss());
    }
}
