package dev.inspector.present;

import dev.inspector.core.diff.Aspect;
import dev.inspector.core.diff.DiffOptions;
import dev.inspector.core.diff.DiffResult;
import dev.inspector.core.diff.RegionChange;
import dev.inspector.core.diff.Usage;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The text of {@code inspector diff}: who was compared, one aligned row per change, then totals, moved bases, module
 * shifts (by-module matching) and process counters. Pure: a {@link DiffResult} in, blocks out (rows coloured by
 * what happened: added, removed, grown, shrunk, changed).
 *
 * <p>By default a change is shown when it is structural (added, removed, grown, shrunk, split, merged, permissions)
 * or when its Rss, Pss or Swap moved by at least {@link Options#DEFAULT_THRESHOLD}; usage wobbles below that and
 * changes of classification details alone are counted in one line instead. {@code --all} shows every change. Totals
 * always cover every change.
 */
public final class DiffView {

    /** {@code all}: show every change; {@code threshold}: the smallest usage change (bytes) shown otherwise. */
    public record Options(boolean all, long threshold) {
        /** 64 KiB, 16 pages: below this a usage change is the noise of a running process, not an event. */
        public static final long DEFAULT_THRESHOLD = 64 * 1024;

        public static Options defaults() {
            return new Options(false, DEFAULT_THRESHOLD);
        }
    }

    static final int MAX_PERMS = 3;

    private DiffView() {
    }

    /** Whether a change is shown as a row under these options. */
    public static boolean shown(RegionChange c, Options o) {
        if (o.all()) {
            return true;
        }
        for (Aspect a : c.aspects()) {
            if (a != Aspect.USAGE && a != Aspect.DETAILS) {
                return true; // structural
            }
        }
        Usage d = c.usageDelta();
        return d != null && (Math.abs(d.rss()) >= o.threshold() || Math.abs(d.pss()) >= o.threshold()
                || Math.abs(d.swap()) >= o.threshold());
    }

    /** Who was compared, the changes (a table), totals, moved bases, module shifts and process counters. */
    public static List<Block> present(DiffResult d, Options o) {
        List<Block> out = new ArrayList<>();
        header(d, out);
        List<RegionChange> rows = new ArrayList<>();
        for (RegionChange c : d.changes()) {
            if (shown(c, o)) {
                rows.add(c);
            }
        }
        int hidden = d.changes().size() - rows.size();
        out.add(Line.blank());
        if (rows.isEmpty()) {
            out.add(Line.of(d.changes().isEmpty() ? "no mapping changed"
                    : "no mapping changed beyond small usage changes"));
        } else {
            out.add(table(rows));
        }
        if (hidden > 0) {
            out.add(Line.of(Role.MUTED, "(" + hidden + " small change" + (hidden == 1 ? "" : "s")
                    + " not shown: usage under " + Format.size(o.threshold())
                    + " each, or classification details only; --all shows them)"));
        }
        out.add(Line.blank());
        totals(d, out);
        bases(d, out);
        if (d.match() == DiffOptions.Match.MODULE) {
            modules(d, out);
        }
        process(d, out);
        return out;
    }

    private static void header(DiffResult d, List<Block> out) {
        out.add(Line.of("A: " + side(d.before())).hanging(3));
        Duration e = d.elapsed();
        out.add(Line.of("B: " + side(d.after()) + " (" + elapsed(e) + ")").hanging(3));
        if (!d.process().sameProcess()) {
            out.add(Line.of(Role.WARNING, "A and B are different processes (pid or start time differ)"
                    + (d.match() == DiffOptions.Match.ADDRESS ? "; --by-module matches their mappings by owner and"
                    + " offset instead of address" : "")));
        }
        if (d.match() == DiffOptions.Match.MODULE) {
            out.add(Line.of("mappings matched by module: owner and file offset relative to each module's base"));
        }
    }

    private static String side(DiffResult.Side s) {
        return "pid " + s.pid() + " " + Escape.forTerminal(s.comm()) + ", taken " + s.takenAt() + ", " + s.mappings()
                + " mappings";
    }

    /**
     * "1.089s later", "10m 7.6s later", "2h 5m later", or "250ms earlier" when B was taken before A (the files given
     * in the other order): milliseconds matter only for short gaps.
     */
    static String elapsed(Duration e) {
        Duration d = e.abs();
        long ms = d.toMillis();
        String t;
        if (ms < 1000) {
            t = ms + "ms";
        } else if (ms < 60_000) {
            t = String.format(Locale.ROOT, "%.3fs", ms / 1000.0);
        } else if (ms < 3_600_000) {
            t = String.format(Locale.ROOT, "%dm %.1fs", ms / 60_000, (ms % 60_000) / 1000.0);
        } else {
            long m = ms / 60_000;
            t = (m / 60 >= 48 ? m / 1440 + "d " + (m / 60) % 24 + "h" : m / 60 + "h " + m % 60 + "m");
        }
        return t + (e.isNegative() ? " earlier" : " later");
    }

    /**
     * The columns of the change table. On a narrow screen PSS, SWAP and the BEFORE range are left out first, then
     * CHANGE, KIND and NAME (from its start) are cut, and last the AFTER range goes: what changed and by how much stays.
     */
    static final List<Column> COLUMNS = List.of(Column.left("CHANGE").shrinks(4, 8), Column.left("BEFORE").hides(5),
            Column.left("AFTER").hides(1), Column.right("SIZE"), Column.left("PERM"), Column.right("RSS"),
            Column.right("PSS").hides(7), Column.right("SWAP").hides(6), Column.left("KIND").shrinks(3, 13),
            Column.left("NAME").shrinksFromStart(2, 10));

    static Table table(List<RegionChange> rows) {
        List<Row> out = new ArrayList<>(rows.size());
        for (RegionChange c : rows) {
            Usage u = c.usageDelta();
            out.add(Row.of(role(c), aspects(c), range(c.before()), range(c.after()), size(c), perms(c),
                    u == null ? "?" : Format.delta(u.rss()), u == null ? "?" : Format.delta(u.pss()),
                    u == null ? "?" : Format.delta(u.swap()), kind(c), Escape.forTerminal(c.label())));
        }
        return new ListTable(COLUMNS, out);
    }

    /** Added, removed, grown, shrunk (either edge), or changed in another way. */
    static Role role(RegionChange c) {
        if (c.has(Aspect.ADDED)) {
            return Role.ADDED;
        }
        if (c.has(Aspect.REMOVED)) {
            return Role.REMOVED;
        }
        if (c.has(Aspect.GREW_UP) || c.has(Aspect.GREW_DOWN)) {
            return Role.GROWN;
        }
        if (c.has(Aspect.SHRANK_AT_TOP) || c.has(Aspect.SHRANK_AT_BOTTOM)) {
            return Role.SHRUNK;
        }
        return Role.CHANGED;
    }

    /** "added", "grew-down,usage", "split,perms". */
    static String aspects(RegionChange c) {
        StringBuilder b = new StringBuilder();
        for (Aspect a : c.aspects()) {
            b.append(b.length() == 0 ? "" : ",").append(aspectName(a));
        }
        return b.toString();
    }

    public static String aspectName(Aspect a) {
        return a.label();
    }

    /** "start-end" of a side, with the number of mappings when it is more than one; "-" for none. */
    static String range(List<Region> side) {
        if (side.isEmpty()) {
            return "-";
        }
        String s = Format.addr(side.get(0).mapping().start()) + "-" + Format.addr(side.get(side.size() - 1).mapping().end());
        return side.size() == 1 ? s : s + " (" + side.size() + ")";
    }

    /**
     * The size change with an arrow for the edge that moved: up when the end rose (grew up) or the start rose (shrank
     * at the bottom), down when the start fell (grew down, the way a stack grows) or the end fell (shrank at the top).
     */
    static String size(RegionChange c) {
        long delta = c.sizeDelta();
        boolean up = c.has(Aspect.GREW_UP) || c.has(Aspect.SHRANK_AT_BOTTOM);
        boolean down = c.has(Aspect.GREW_DOWN) || c.has(Aspect.SHRANK_AT_TOP);
        String arrow = up && down ? " \u2195" : up ? " \u2191" : down ? " \u2193" : "";
        return (delta == 0 ? "0" : Format.delta(delta)) + arrow;
    }

    /** The permissions, "before→after" when they differ; a split lists its parts (at most three, then "+N"). */
    static String perms(RegionChange c) {
        String b = permList(c.before());
        String a = permList(c.after());
        if (b.isEmpty()) {
            return a;
        }
        if (a.isEmpty() || a.equals(b)) {
            return b;
        }
        return b + "\u2192" + a;
    }

    private static String permList(List<Region> side) {
        StringBuilder s = new StringBuilder();
        int n = Math.min(side.size(), MAX_PERMS);
        String last = null;
        boolean allSame = true;
        for (Region r : side) {
            String p = r.mapping().perms().toString();
            if (last != null && !p.equals(last)) {
                allSame = false;
            }
            last = p;
        }
        if (allSame) {
            return last == null ? "" : last;
        }
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ",").append(side.get(i).mapping().perms());
        }
        if (side.size() > n) {
            s.append(",+").append(side.size() - n);
        }
        return s.toString();
    }

    /** The kind after (before when removed), "before→after" when the classification changed. */
    static String kind(RegionChange c) {
        RegionKind b = c.before().isEmpty() ? null : c.before().get(0).kind();
        RegionKind a = c.after().isEmpty() ? null : c.after().get(0).kind();
        if (b == null) {
            return a == null ? "" : Kinds.name(a);
        }
        if (a == null || a == b) {
            return Kinds.name(b);
        }
        return Kinds.name(b) + "\u2192" + Kinds.name(a);
    }

    private static void totals(DiffResult d, List<Block> out) {
        DiffResult.Totals t = d.totals();
        out.add(Line.of(Role.TOTAL, "total: " + t.mappingsBefore() + " \u2192 " + t.mappingsAfter() + " mappings ("
                + signed(t.mappingsAfter() - t.mappingsBefore()) + "), mapped " + Format.size(t.sizeBefore()) + " \u2192 "
                + Format.size(t.sizeAfter()) + " (" + Format.delta(t.sizeDelta()) + ")"));
        Usage r0 = t.rollupBefore();
        Usage r1 = t.rollupAfter();
        if (r0 != null && r1 != null) {
            out.add(Line.of(Role.TOTAL, "smaps_rollup: rss " + fromTo(r0.rss(), r1.rss()) + ", pss "
                    + fromTo(r0.pss(), r1.pss()) + ", swap " + fromTo(r0.swap(), r1.swap())));
        } else if (t.usageBefore() != null && t.usageAfter() != null) {
            Usage u0 = t.usageBefore();
            Usage u1 = t.usageAfter();
            out.add(Line.of(Role.TOTAL, "sum of smaps: rss " + fromTo(u0.rss(), u1.rss()) + ", pss "
                    + fromTo(u0.pss(), u1.pss()) + ", swap " + fromTo(u0.swap(), u1.swap())));
        }
    }

    private static String fromTo(long a, long b) {
        return Format.size(a) + " \u2192 " + Format.size(b) + " (" + Format.delta(b - a) + ")";
    }

    private static String signed(long n) {
        return n > 0 ? "+" + n : Long.toString(n);
    }

    /** "bases: none moved", or one line per base that moved (name, before, after, the shift and its size). */
    private static void bases(DiffResult d, List<Block> out) {
        List<DiffResult.BaseShift> moved = new ArrayList<>();
        int w = 0;
        for (DiffResult.BaseShift b : d.bases()) {
            if (b.moved()) {
                moved.add(b);
                w = Math.max(w, b.name().length());
            }
        }
        if (moved.isEmpty()) {
            out.add(Line.of("bases: none moved"));
            return;
        }
        out.add(Line.of("bases moved:"));
        for (DiffResult.BaseShift b : moved) {
            String name = b.name() + " ".repeat(w - b.name().length());
            out.add(Line.of("  " + name + "  " + Format.hex(b.before()) + " \u2192 " + Format.hex(b.after()) + "  "
                    + signedHex(b.delta())).hanging(w + 4));
        }
    }

    /** A signed distance in hex with its size: "+0x21000 (+132K)", "-0x1000 (-4K)". */
    static String signedHex(long delta) {
        String size = Format.delta(delta);
        if (delta < 0) {
            return "-0x" + Long.toHexString(-delta) + " (" + size + ")";
        }
        return "+0x" + Long.toHexString(delta) + " (" + size + ")";
    }

    private static void modules(DiffResult d, List<Block> out) {
        if (d.modules().isEmpty()) {
            return;
        }
        out.add(Line.blank());
        List<Row> rows = new ArrayList<>();
        for (DiffResult.ModuleShift m : d.modules()) {
            Long s = m.shift();
            rows.add(Row.of(Escape.forTerminal(m.module()), m.baseBefore() == null ? "-" : Format.hex(m.baseBefore()),
                    m.baseAfter() == null ? "-" : Format.hex(m.baseAfter()),
                    s == null ? "-" : s >= 0 ? "+0x" + Long.toHexString(s) : "-0x" + Long.toHexString(-s)));
        }
        out.add(new ListTable(List.of(Column.left("MODULE").shrinksFromStart(1, 12), Column.left("BASE A"),
                Column.left("BASE B"), Column.right("SHIFT")), rows));
        out.add(Line.blank());
    }

    private static void process(DiffResult d, List<Block> out) {
        DiffResult.ProcessDelta p = d.process();
        if (!p.sameProcess()) {
            // Counters of two different processes: show both sides, a difference would mean nothing.
            out.add(Line.of("faults: minor " + p.minorFaultsBefore() + " / " + p.minorFaultsAfter() + ", major "
                    + p.majorFaultsBefore() + " / " + p.majorFaultsAfter() + "; threads " + p.threadCountBefore()
                    + " / " + p.threadCountAfter()));
            return;
        }
        out.add(Line.of("faults: minor " + signed(p.minorFaultsDelta()) + ", major " + signed(p.majorFaultsDelta())
                + "; threads " + p.threadCountBefore() + " \u2192 " + p.threadCountAfter()
                + (p.threadsStarted().isEmpty() ? "" : ", started " + ids(p.threadsStarted()))
                + (p.threadsExited().isEmpty() ? "" : ", exited " + ids(p.threadsExited()))));
        List<String> mem = new ArrayList<>();
        for (DiffResult.FieldDelta f : p.statusMemory()) {
            Long delta = f.delta();
            if (delta != null && delta != 0) {
                mem.add(f.name() + " " + Format.delta(delta));
            }
        }
        if (!mem.isEmpty()) {
            out.add(Line.of("status: " + String.join(", ", mem)));
        }
    }

    private static String ids(List<Integer> tids) {
        StringBuilder b = new StringBuilder();
        int n = Math.min(tids.size(), 8);
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append(tids.get(i));
        }
        if (tids.size() > n) {
            b.append(",+").append(tids.size() - n);
        }
        return b.toString();
    }
}
