package dev.inspector.core.diff;

import dev.inspector.core.model.Region;
import dev.inspector.core.model.Smaps;

import java.util.List;

/** Rss, Pss and Swap of smaps, in bytes (the kernel's "kB" is KiB; the model already holds bytes). */
public record Usage(long rss, long pss, long swap) {

    public static final Usage ZERO = new Usage(0, 0, 0);

    /** The sum over regions, or null when any of them has no smaps figures (a sum of what is known would mislead). */
    public static Usage of(List<Region> regions) {
        long rss = 0;
        long pss = 0;
        long swap = 0;
        for (Region r : regions) {
            Smaps s = r.smaps();
            if (s == null) {
                return null;
            }
            rss += s.rss();
            pss += s.pss();
            swap += s.swap();
        }
        return new Usage(rss, pss, swap);
    }

    /** From smaps_rollup, or null. */
    public static Usage of(Smaps rollup) {
        return rollup == null ? null : new Usage(rollup.rss(), rollup.pss(), rollup.swap());
    }

    /** {@code after - before}, or null when either is unknown. */
    public static Usage delta(Usage before, Usage after) {
        if (before == null || after == null) {
            return null;
        }
        return new Usage(after.rss - before.rss, after.pss - before.pss, after.swap - before.swap);
    }
}
