package dev.inspector.tui;

import dev.inspector.core.diff.Aspect;
import dev.inspector.core.diff.DiffResult;
import dev.inspector.core.diff.RegionChange;
import dev.inspector.core.diff.Usage;
import dev.inspector.core.model.Region;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What changed, per mapping, for the table and the address-space column: new mappings, mappings that grew or shrank
 * (and at which end), other changes (split, merged, permissions), Rss changes, and mappings that went away, kept as
 * "ghosts" for a few refreshes so a user sees them leave. Live, marks come from each refresh's diff and fade over
 * {@link #FADE} refreshes; against a baseline they come from the diff with the baseline and never fade. Immutable:
 * {@link #next} and {@link #against} make a new one.
 */
public final class Highlights {

    /** How many refreshes a mark (and a removed mapping) stays visible. */
    public static final int FADE = 3;

    public enum Change {
        ADDED("+ ", Paint.ADDED),
        GREW_UP("↑+", Paint.GROWN),
        GREW_DOWN("↓+", Paint.GROWN),
        SHRANK_AT_TOP("↓-", Paint.SHRUNK),
        SHRANK_AT_BOTTOM("↑-", Paint.SHRUNK),
        /** Split, merged or permissions changed. */
        CHANGED("~ ", Paint.CHANGED),
        /** Only Rss/Pss/Swap moved. */
        USAGE("• ", Paint.CHANGED),
        REMOVED("- ", Paint.REMOVED);

        private final String marker;
        private final Paint paint;

        Change(String marker, Paint paint) {
            this.marker = marker;
            this.paint = paint;
        }

        /** Two columns: the direction of the edge that moved ("↑+" the top grew up, "↓+" the bottom grew down). */
        public String marker() {
            return marker;
        }

        public Paint paint() {
            return paint;
        }
    }

    /** A mark on a mapping (by its start): what changed, the Rss change (bytes, 0 unknown), and how old it is. */
    public record Mark(Change change, long rssDelta, long sizeDelta, int age) {
    }

    /** A mapping that went away: the region as it was, and how many refreshes ago. */
    public record Ghost(Region region, int age) {
    }

    private static final Highlights NONE = new Highlights(Map.of(), List.of(), false);

    private final Map<Long, Mark> marks;
    private final List<Ghost> ghosts;
    private final boolean baseline;

    private Highlights(Map<Long, Mark> marks, List<Ghost> ghosts, boolean baseline) {
        this.marks = marks;
        this.ghosts = ghosts;
        this.baseline = baseline;
    }

    public static Highlights none() {
        return NONE;
    }

    /** The mark on the mapping starting at {@code start}, or null. */
    public Mark mark(long start) {
        return marks.get(start);
    }

    public int size() {
        return marks.size();
    }

    public List<Ghost> ghosts() {
        return ghosts;
    }

    /** True when the marks are against a baseline (they do not fade). */
    public boolean baseline() {
        return baseline;
    }

    /** After a refresh whose diff is {@code d} (null for the first point): new marks, older ones aged. */
    public Highlights next(DiffResult d) {
        Map<Long, Mark> m = new HashMap<>();
        List<Ghost> g = new ArrayList<>();
        if (!baseline) {
            for (Map.Entry<Long, Mark> e : marks.entrySet()) {
                Mark k = e.getValue();
                if (k.age() + 1 < FADE) {
                    m.put(e.getKey(), new Mark(k.change(), k.rssDelta(), k.sizeDelta(), k.age() + 1));
                }
            }
            for (Ghost x : ghosts) {
                if (x.age() + 1 < FADE) {
                    g.add(new Ghost(x.region(), x.age() + 1));
                }
            }
        }
        if (d != null) {
            apply(d, m, g);
            // A ghost whose address is mapped again is no longer a ghost: the new mapping is marked instead.
            g.removeIf(x -> m.containsKey(x.region().mapping().start()) && m.get(x.region().mapping().start())
                    .change() != Change.REMOVED && m.get(x.region().mapping().start()).age() == 0);
        }
        return new Highlights(Collections.unmodifiableMap(m), List.copyOf(g), false);
    }

    /** A baseline just set: nothing differs yet. */
    public static Highlights emptyBaseline() {
        return new Highlights(Map.of(), List.of(), true);
    }

    /** Everything that differs from a baseline: {@code d} compares the baseline with now. */
    public static Highlights against(DiffResult d) {
        Map<Long, Mark> m = new HashMap<>();
        List<Ghost> g = new ArrayList<>();
        apply(d, m, g);
        return new Highlights(Collections.unmodifiableMap(m), List.copyOf(g), true);
    }

    private static void apply(DiffResult d, Map<Long, Mark> m, List<Ghost> g) {
        for (RegionChange c : d.changes()) {
            if (!c.significant()) {
                continue;
            }
            if (c.has(Aspect.REMOVED)) {
                for (Region r : c.before()) {
                    g.add(new Ghost(r, 0));
                }
                continue;
            }
            Change ch = change(c);
            Usage u = c.usageDelta();
            long rss = u == null ? 0 : u.rss();
            for (Region r : c.after()) {
                m.put(r.mapping().start(), new Mark(ch, c.after().size() == 1 ? rss : 0, c.sizeDelta(), 0));
            }
        }
    }

    static Change change(RegionChange c) {
        if (c.has(Aspect.ADDED)) {
            return Change.ADDED;
        }
        if (c.has(Aspect.GREW_UP)) {
            return Change.GREW_UP;
        }
        if (c.has(Aspect.GREW_DOWN)) {
            return Change.GREW_DOWN;
        }
        if (c.has(Aspect.SHRANK_AT_TOP)) {
            return Change.SHRANK_AT_TOP;
        }
        if (c.has(Aspect.SHRANK_AT_BOTTOM)) {
            return Change.SHRANK_AT_BOTTOM;
        }
        if (c.has(Aspect.SPLIT) || c.has(Aspect.MERGED) || c.has(Aspect.PERMS)) {
            return Change.CHANGED;
        }
        return Change.USAGE;
    }
}
