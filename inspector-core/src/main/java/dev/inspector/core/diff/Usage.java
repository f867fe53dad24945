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
            // Exact: the snapshot readers bound every region's figures by its size and the sizes' sum below 2^63, so
            // this cannot overflow; if it ever did, an error beats a wrong total.
            rss = Math.addExact(rss, s.rss());
            pss = Math.addExact(pss, s.pss());
            swap = Math.addExact(swap, s.swap());
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
        return new Usage(Math.subtractExact(after.rss, before.rss), Math.subtractExact(after.pss, before.pss),
                Math.subtractExact(after.swap, before.swap));
    }
}
