package dev.inspector.present;

import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.model.Snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * The summary by kind (VMMap's top panel, with the inspector's kinds): mappings, size, Rss, Pss and Swap per kind,
 * largest first, and the totals beside the kernel's own sum (smaps_rollup). Rss and Swap sums equal the rollup when
 * both were read at the same instant; each mapping's Pss is rounded down to a whole kB by the kernel, so the Pss sum
 * may fall short of the rollup by less than 1 kB per mapping ({@link #pssRoundingSlack()}).
 */
public record KindSummary(List<Line> lines, Line total, Smaps rollup, boolean smaps) {

    /** One kind: how many mappings, their size, Rss, Pss, Swap (bytes). */
    public record Line(RegionKind kind, int mappings, long size, long rss, long pss, long swap) {
    }

    public KindSummary {
        lines = List.copyOf(lines);
    }

    public static KindSummary of(Snapshot s) {
        int k = RegionKind.values().length;
        int[] n = new int[k];
        long[] size = new long[k];
        long[] rss = new long[k];
        long[] pss = new long[k];
        long[] swap = new long[k];
        boolean smaps = !s.regions().isEmpty();
        for (Region r : s.regions()) {
            int i = r.kind().ordinal();
            n[i]++;
            size[i] += r.mapping().size();
            Smaps sm = r.smaps();
            if (sm == null) {
                smaps = false;
                continue;
            }
            rss[i] += sm.rss();
            pss[i] += sm.pss();
            swap[i] += sm.swap();
        }
        List<Line> lines = new ArrayList<>();
        int tn = 0;
        long ts = 0;
        long tr = 0;
        long tp = 0;
        long tw = 0;
        for (RegionKind kind : RegionKind.values()) {
            int i = kind.ordinal();
            if (n[i] == 0) {
                continue;
            }
            lines.add(new Line(kind, n[i], size[i], rss[i], pss[i], swap[i]));
            tn += n[i];
            ts += size[i];
            tr += rss[i];
            tp += pss[i];
            tw += swap[i];
        }
        lines.sort((a, b) -> {
            int c = Long.compare(b.rss(), a.rss());
            return c != 0 ? c : Long.compare(b.size(), a.size());
        });
        return new KindSummary(lines, new Line(null, tn, ts, tr, tp, tw), s.rollup(), smaps);
    }

    /** True when the sum of Rss and Swap over the kinds equals smaps_rollup's. */
    public boolean matchesRollup() {
        return rollup != null && smaps && rollup.rss() == total.rss() && rollup.swap() == total.swap()
                && total.pss() <= rollup.pss() && rollup.pss() - total.pss() < pssRoundingSlack();
    }

    /**
     * As rows: a table of kinds (each row in its kind's role), the total row, and one line saying whether the totals
     * are smaps_rollup's (and why the Pss sum may fall short of it).
     */
    public List<Block> present() {
        List<Row> rows = new ArrayList<>();
        for (Line ln : lines) {
            rows.add(Row.kind(ln.kind(), Kinds.name(ln.kind()), Integer.toString(ln.mappings()), Format.size(ln.size()),
                    Format.size(ln.rss()), Format.size(ln.pss()), Format.size(ln.swap())));
        }
        rows.add(Row.of(Role.TOTAL, "total", Integer.toString(total.mappings()), Format.size(total.size()),
                Format.size(total.rss()), Format.size(total.pss()), Format.size(total.swap())));
        List<Block> out = new ArrayList<>();
        out.add(new ListTable(COLUMNS, rows));
        out.add(check());
        return out;
    }

    static final List<Column> COLUMNS = List.of(Column.left("KIND"), Column.right("MAPS"), Column.right("SIZE"),
            Column.right("RSS"), Column.right("PSS"), Column.right("SWAP"));

    private dev.inspector.present.Line check() {
        if (rollup == null) {
            return dev.inspector.present.Line.of(Role.MUTED, "smaps_rollup not read");
        }
        if (!smaps) {
            return dev.inspector.present.Line.of(Role.MUTED, "smaps not read: sums unknown");
        }
        if (matchesRollup()) {
            return dev.inspector.present.Line.of(Role.MUTED, "= smaps_rollup: rss " + Format.size(rollup.rss())
                    + ", pss " + Format.size(rollup.pss()) + ", swap " + Format.size(rollup.swap())
                    + (rollup.pss() != total.pss() ? " (the pss sum is short by " + Format.size(rollup.pss()
                    - total.pss()) + ": each mapping's pss is rounded down to a kB)" : ""));
        }
        return dev.inspector.present.Line.of(Role.WARNING, "differs from smaps_rollup (rss " + Format.size(rollup.rss())
                + ", pss " + Format.size(rollup.pss()) + ", swap " + Format.size(rollup.swap()) + "): smaps and"
                + " smaps_rollup were read at different instants of a moving process");
    }

    /** How far the Pss sum may fall short of the rollup from per-mapping rounding: 1 kB per mapping. */
    public long pssRoundingSlack() {
        return 1024L * Math.max(1, total.mappings());
    }
}
