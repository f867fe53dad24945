package dev.inspector.present;

import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.model.Snapshot;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The pmap-like table of {@code inspector maps}: one row per mapping, totals at the bottom. Pure: a snapshot in, text
 * out. Totals come from smaps_rollup (the kernel's own sum) when nothing is filtered out; per-mapping Pss is rounded
 * down to whole kB by the kernel, so a column sum can fall short of the rollup by under 1 kB per mapping.
 */
public final class MapsView {

    /** Which rows to show: kinds (empty = all) and required permission letters (r, w, x, s, p). */
    public record Filter(Set<RegionKind> kinds, String perms) {
        public boolean accepts(Region r) {
            if (!kinds.isEmpty() && !kinds.contains(r.kind())) {
                return false;
            }
            if (perms == null || perms.isEmpty()) {
                return true;
            }
            String p = r.mapping().perms().toString();
            for (char c : perms.toCharArray()) {
                if (c == '-') {
                    continue;
                }
                if (p.indexOf(c) < 0) {
                    return false;
                }
            }
            return true;
        }

        public boolean isEmpty() {
            return kinds.isEmpty() && (perms == null || perms.isEmpty());
        }
    }

    public enum Units { HUMAN, KIB, BYTES }

    private MapsView() {
    }

    public static List<Region> select(Snapshot s, Filter f) {
        List<Region> out = new ArrayList<>();
        for (Region r : s.regions()) {
            if (f.accepts(r)) {
                out.add(r);
            }
        }
        return out;
    }

    public static void print(Snapshot s, Filter f, Units units, Style style, PrintWriter out) {
        LongFunction<String> fmt = units == Units.HUMAN ? Format::size : units == Units.KIB ? Format::kib : Long::toString;
        TextTable t = new TextTable(
                new String[] {"START", "END", "SIZE", "PERM", "RSS", "PSS", "SWAP", "KIND", "NAME"},
                new TextTable.Align[] {TextTable.Align.LEFT, TextTable.Align.LEFT, TextTable.Align.RIGHT,
                    TextTable.Align.LEFT, TextTable.Align.RIGHT, TextTable.Align.RIGHT, TextTable.Align.RIGHT,
                    TextTable.Align.LEFT, TextTable.Align.LEFT});
        long size = 0;
        long rss = 0;
        long pss = 0;
        long swap = 0;
        int shown = 0;
        for (Region r : s.regions()) {
            if (!f.accepts(r)) {
                continue;
            }
            Mapping m = r.mapping();
            Smaps sm = r.smaps();
            size += m.size();
            String rssCell = "-";
            String pssCell = "-";
            String swapCell = "-";
            if (sm != null) {
                rss += sm.rss();
                pss += sm.pss();
                swap += sm.swap();
                rssCell = fmt.apply(sm.rss());
                pssCell = fmt.apply(sm.pss());
                swapCell = fmt.apply(sm.swap());
            }
            t.styledRow(Kinds.colour(r.kind()), Format.addr(m.start()), Format.addr(m.end()), fmt.apply(m.size()),
                    m.perms().toString(), rssCell, pssCell, swapCell, Kinds.cell(r),
                    Kinds.nameCell(m.path()));
            shown++;
        }
        t.print(out, style);
        Smaps rollup = s.rollup();
        boolean useRollup = f.isEmpty() && rollup != null;
        String label = useRollup ? "total (smaps_rollup)" : f.isEmpty() ? "total" : "total of shown";
        if (useRollup) {
            rss = rollup.rss();
            pss = rollup.pss();
            swap = rollup.swap();
        }
        boolean hasSmaps = !s.regions().isEmpty() && s.regions().get(0).smaps() != null;
        out.println(style.bold(label + ": " + shown + " mappings, size " + fmt.apply(size)
                + ", rss " + (hasSmaps ? fmt.apply(rss) : "-") + ", pss " + (hasSmaps ? fmt.apply(pss) : "-")
                + ", swap " + (hasSmaps ? fmt.apply(swap) : "-")));
    }
}
