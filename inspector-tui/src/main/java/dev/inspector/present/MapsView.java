package dev.inspector.present;

import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.model.Snapshot;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The pmap-like table of {@code inspector maps}: one row per mapping, totals at the bottom. Pure: a snapshot in, rows
 * out ({@link #present}).
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

    /**
     * The table (one row per selected mapping, coloured by kind) and the totals line under it. The rows are made when
     * they are drawn, into the renderer's buffer: nothing is held per row but the two cells that are not numbers.
     */
    public static List<Block> present(Snapshot s, Filter f, Units units) {
        MapsTable t = new MapsTable(s.regions(), s.rollup(), f, units);
        return List.of(t, t.total());
    }

    /**
     * The maps table's rows for exactly {@code regions}, in their order and unfiltered: for a full-screen view that
     * sorts, filters and scrolls itself and asks only for the rows it shows.
     */
    public static Table rows(List<Region> regions, Units units) {
        return new MapsTable(regions, null, new Filter(Set.of(), ""), units);
    }

    /** The columns of the maps table; KIND and NAME shorten (NAME first) when the table is fitted to a screen. */
    static final List<Column> COLUMNS = List.of(Column.left("START"), Column.left("END"), Column.right("SIZE"),
            Column.left("PERM"), Column.right("RSS"), Column.right("PSS"), Column.right("SWAP"),
            Column.left("KIND").shrinks(1, 8), Column.left("NAME").shrinks(2, 12));

    private static final class MapsTable implements Table {
        private final Smaps rollup;
        private final Filter filter;
        private final LongFunction<String> fmt;
        private final List<Region> regions;
        /** Indexes in {@code regions} of the rows, and the rows' KIND and NAME cells (escaped). */
        private final int[] shown;
        private final String[] kinds;
        private final String[] names;
        private final int[] widths;
        private final SmallSizes sizes;
        private final int rows;
        private long size;
        private long rss;
        private long pss;
        private long swap;

        MapsTable(List<Region> all, Smaps rollup, Filter f, Units units) {
            this.rollup = rollup;
            this.filter = f;
            this.fmt = units == Units.HUMAN ? Format::size : units == Units.KIB ? Format::kib : Long::toString;
            this.sizes = new SmallSizes(fmt);
            this.regions = all;
            // One pass measures the columns whose width depends on the data and sums the totals; the number cells
            // are made only when a row is drawn.
            int[] idx = new int[regions.size()];
            String[] kindCells = new String[regions.size()];
            String[] nameCells = new String[regions.size()];
            int n = 0;
            int wAddr = 5;
            int wKind = 4;
            int wName = 4;
            long maxSize = 0;
            long maxUsage = 0;
            for (int i = 0; i < regions.size(); i++) {
                Region r = regions.get(i);
                if (!f.accepts(r)) {
                    continue;
                }
                Mapping m = r.mapping();
                String kind = Kinds.cell(r);
                String name = Kinds.nameCell(m.path());
                idx[n] = i;
                kindCells[n] = kind;
                nameCells[n] = name;
                n++;
                wKind = Math.max(wKind, kind.length());
                wName = Math.max(wName, name.length());
                wAddr = Math.max(wAddr, Math.max(hexDigits(m.start()), hexDigits(m.end())));
                maxSize = Math.max(maxSize, m.size());
                size += m.size();
                Smaps sm = r.smaps();
                if (sm != null) {
                    maxUsage = Math.max(maxUsage, Math.max(sm.rss(), Math.max(sm.pss(), sm.swap())));
                    rss += sm.rss();
                    pss += sm.pss();
                    swap += sm.swap();
                }
            }
            this.shown = idx;
            this.kinds = kindCells;
            this.names = nameCells;
            int wSize = Math.max(4, units == Units.HUMAN ? 5 : fmt.apply(maxSize).length());
            int wUse = Math.max(4, units == Units.HUMAN ? 5 : fmt.apply(maxUsage).length());
            this.widths = new int[] {wAddr, wAddr, wSize, 4, wUse, wUse, wUse, wKind, wName};
            this.rows = n;
        }

        @Override
        public List<Column> columns() {
            return COLUMNS;
        }

        @Override
        public int size() {
            return rows;
        }

        @Override
        public int[] widths() {
            return widths.clone();
        }

        @Override
        public void row(int i, RowBuffer b) {
            Region r = regions.get(shown[i]);
            Mapping m = r.mapping();
            Smaps sm = r.smaps();
            b.clear().kind(r.kind());
            b.hex(m.start(), 12).hex(m.end(), 12).cell(sizes.format(m.size())).cell(m.perms().toString());
            if (sm != null) {
                b.cell(sizes.format(sm.rss())).cell(sizes.format(sm.pss())).cell(sizes.format(sm.swap()));
            } else {
                b.cell("-").cell("-").cell("-");
            }
            b.cell(kinds[i]);
            if (!names[i].isEmpty()) {
                b.cell(names[i]); // no NAME: the row ends after KIND, unpadded
            }
        }

        /**
         * Totals from smaps_rollup (the kernel's own sum) when nothing is filtered out; per-mapping Pss is rounded down
         * to whole kB, so a column sum can fall short of the rollup by under 1 kB per mapping.
         */
        Line total() {
            Smaps rollup = this.rollup;
            boolean useRollup = filter.isEmpty() && rollup != null;
            String label = useRollup ? "total (smaps_rollup)" : filter.isEmpty() ? "total" : "total of shown";
            long r1 = useRollup ? rollup.rss() : rss;
            long p1 = useRollup ? rollup.pss() : pss;
            long s1 = useRollup ? rollup.swap() : swap;
            boolean hasSmaps = !regions.isEmpty() && regions.get(0).smaps() != null;
            return Line.of(Role.TOTAL, label + ": " + rows + " mappings, size " + fmt.apply(size)
                    + ", rss " + (hasSmaps ? fmt.apply(r1) : "-") + ", pss " + (hasSmaps ? fmt.apply(p1) : "-")
                    + ", swap " + (hasSmaps ? fmt.apply(s1) : "-"));
        }
    }

    /**
     * The formatted text of sizes that are a whole number of pages under 1 MiB, made once each: most cells of a big
     * table are 0 or 4K, and a string per cell is most of the cost of printing 60,000 rows.
     */
    private static final class SmallSizes {
        private final LongFunction<String> fmt;
        private final String[] byPages = new String[256];

        SmallSizes(LongFunction<String> fmt) {
            this.fmt = fmt;
        }

        String format(long bytes) {
            if ((bytes & 4095) != 0 || bytes < 0 || bytes >= 256L * 4096) {
                return fmt.apply(bytes);
            }
            int i = (int) (bytes >>> 12);
            String t = byPages[i];
            if (t == null) {
                t = fmt.apply(bytes);
                byPages[i] = t;
            }
            return t;
        }
    }

    private static int hexDigits(long v) {
        return Math.max(12, RowBuffer.hexDigits(v));
    }
}
