package dev.inspector.present;

import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.model.Snapshot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * The pmap-like table of {@code inspector maps}: one row per mapping, totals at the bottom; or, with a summary, one row
 * per kind or per file (pmap's per-library totals, smem's per-mapping view). Pure: a snapshot in, rows out
 * ({@link #present}, {@link #summary}).
 *
 * <p>On a screen narrower than the table the columns give way in this order: END (SIZE says the same), THP (usually
 * 0), the sections in KIND, the directory part of NAME (cut from the start, so the file name stays), SWAP, then PSS.
 */
public final class MapsView {

    /**
     * Which rows to show: kinds (empty = all), required permission letters (r, w, x, s, p; null = any) and a text the
     * name must contain (null = any).
     */
    public record Filter(Set<RegionKind> kinds, String perms, String name) {

        public Filter(Set<RegionKind> kinds, String perms) {
            this(kinds, perms, null);
        }

        public boolean accepts(Region r) {
            if (!kinds.isEmpty() && !kinds.contains(r.kind())) {
                return false;
            }
            if (name != null && !r.mapping().path().text().contains(name)) {
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
            return kinds.isEmpty() && (perms == null || perms.isEmpty()) && name == null;
        }
    }

    public enum Units { HUMAN, KIB, BYTES }

    /** The columns a table can be sorted by ({@code maps --sort}). */
    public enum Sort {
        N, START, END, SIZE, PERM, RSS, PSS, SWAP, THP, KIND, NAME, COUNT;

        /** Sizes and counts read best largest first; positions and names in their natural order. */
        boolean largestFirst() {
            return this == SIZE || this == RSS || this == PSS || this == SWAP || this == THP || this == COUNT;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A sort key and whether {@code --reverse} flips its usual direction. */
    public record Order(Sort key, boolean reverse) {
        /** The kernel's order: by address, which is maps' line order (column N). */
        public static Order natural() {
            return new Order(Sort.N, false);
        }
    }

    /** How {@code maps --summary} groups mappings. */
    public enum Summary { KIND, FILE }

    /** The keys a mapping table sorts by. */
    static final List<Sort> TABLE_KEYS = List.of(Sort.N, Sort.START, Sort.END, Sort.SIZE, Sort.PERM, Sort.RSS,
            Sort.PSS, Sort.SWAP, Sort.THP, Sort.KIND, Sort.NAME);
    /** The keys a summary sorts by (its group column is KIND or NAME, whichever it groups by). */
    static final List<Sort> SUMMARY_KEYS = List.of(Sort.COUNT, Sort.SIZE, Sort.RSS, Sort.PSS, Sort.SWAP, Sort.THP,
            Sort.KIND, Sort.NAME);

    private MapsView() {
    }

    /** A sort key as typed ({@code rss}, {@code RSS}); an IllegalArgumentException names the keys there are. */
    public static Sort parseSort(String text, boolean summary) {
        List<Sort> keys = summary ? SUMMARY_KEYS : TABLE_KEYS;
        for (Sort s : keys) {
            if (s.label().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        StringBuilder all = new StringBuilder();
        for (Sort s : keys) {
            all.append(all.length() == 0 ? "" : ", ").append(s.label());
        }
        throw new IllegalArgumentException("--sort " + (summary ? "of a summary " : "") + "takes one of " + all
                + "; not '" + text + "'");
    }

    /** A summary grouping as typed ({@code kind}, {@code FILE}). */
    public static Summary parseSummary(String text) {
        for (Summary s : Summary.values()) {
            if (s.name().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("--summary takes kind or file, not '" + text + "'");
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

    /** The table in the kernel's order (see {@link #present(Snapshot, Filter, Units, Order)}). */
    public static List<Block> present(Snapshot s, Filter f, Units units) {
        return present(s, f, units, Order.natural());
    }

    /**
     * The table (one row per selected mapping, coloured by kind) and the totals line under it. The rows are made when
     * they are drawn, into the renderer's buffer: nothing is held per row but the two cells that are not numbers.
     */
    public static List<Block> present(Snapshot s, Filter f, Units units, Order order) {
        MapsTable t = new MapsTable(s.regions(), s.rollup(), hasSmaps(s), f, units, order);
        return List.of(t, t.total());
    }

    /**
     * The maps table's rows for exactly {@code regions}, in their order and unfiltered, always with the smaps columns
     * (N START END SIZE PERM RSS PSS SWAP THP KIND NAME; N counts in {@code regions}): for a full-screen view that
     * sorts, filters and scrolls itself and asks only for the rows it shows.
     */
    public static Table rows(List<Region> regions, Units units) {
        return new MapsTable(regions, null, true, new Filter(Set.of(), null), units, Order.natural());
    }

    /** True when the snapshot was read with smaps (RSS, PSS, swap and THP figures exist). */
    static boolean hasSmaps(Snapshot s) {
        for (Region r : s.regions()) {
            if (r.smaps() != null) {
                return true;
            }
        }
        return s.rollup() != null;
    }

    /** The columns of the maps table, with or without the smaps figures. */
    static List<Column> columns(boolean smaps) {
        List<Column> c = new ArrayList<>(List.of(Column.right("N"), Column.left("START"),
                Column.left("END").hides(6), Column.right("SIZE"), Column.left("PERM")));
        if (smaps) {
            c.addAll(List.of(Column.right("RSS"), Column.right("PSS").hides(1), Column.right("SWAP").hides(2),
                    Column.right("THP").hides(5)));
        }
        c.add(Column.left("KIND").shrinks(4, 13)); // 13: "thread-stack" and the mark
        c.add(Column.left("NAME").shrinksFromStart(3, 12));
        return c;
    }

    private static final class MapsTable implements Table {
        private final Smaps rollup;
        private final Filter filter;
        private final LongFunction<String> fmt;
        private final List<Region> regions;
        private final boolean smaps;
        private final List<Column> columns;
        /** Indexes in {@code regions} of the rows in the order shown, and the rows' KIND and NAME cells (escaped). */
        private final int[] shown;
        private final String[] kinds;
        private final String[] names;
        private final int[] widths;
        private final boolean ascii;
        private final SmallSizes sizes;
        private final int rows;
        private long size;
        private long rss;
        private long pss;
        private long swap;
        private long thp;

        MapsTable(List<Region> all, Smaps rollup, boolean smaps, Filter f, Units units, Order order) {
            this.rollup = rollup;
            this.filter = f;
            this.fmt = units == Units.HUMAN ? Format::size : units == Units.KIB ? Format::kib : Long::toString;
            this.sizes = new SmallSizes(fmt);
            this.regions = all;
            this.smaps = smaps;
            this.columns = MapsView.columns(smaps);
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
            boolean onlyAscii = true;
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
                onlyAscii = onlyAscii && isAscii(kind) && isAscii(name);
                wAddr = Math.max(wAddr, Math.max(hexDigits(m.start()), hexDigits(m.end())));
                maxSize = Math.max(maxSize, m.size());
                size += m.size();
                Smaps sm = r.smaps();
                if (sm != null) {
                    long t = thp(sm);
                    maxUsage = Math.max(Math.max(maxUsage, t), Math.max(sm.rss(), Math.max(sm.pss(), sm.swap())));
                    rss += sm.rss();
                    pss += sm.pss();
                    swap += sm.swap();
                    thp += t;
                }
            }
            this.rows = n;
            this.ascii = onlyAscii;
            this.kinds = kindCells;
            this.names = nameCells;
            this.shown = idx;
            if (order.key() != Sort.N || order.reverse()) {
                sort(order);
            }
            int wN = Math.max(1, Integer.toString(regions.size()).length());
            int wSize = Math.max(4, units == Units.HUMAN ? 5 : fmt.apply(maxSize).length());
            int wUse = Math.max(4, units == Units.HUMAN ? 5 : fmt.apply(maxUsage).length());
            this.widths = smaps ? new int[] {wN, wAddr, wAddr, wSize, 4, wUse, wUse, wUse, wUse, wKind, wName}
                    : new int[] {wN, wAddr, wAddr, wSize, 4, wKind, wName};
        }

        /** Reorders the rows (and their cells) by the key; ties keep the kernel's order. */
        private void sort(Order order) {
            Integer[] pos = new Integer[rows];
            for (int i = 0; i < rows; i++) {
                pos[i] = i;
            }
            Comparator<Integer> c;
            switch (order.key()) {
                case KIND:
                    c = Comparator.comparing(i -> kinds[i]);
                    break;
                case NAME:
                    c = Comparator.comparing(i -> names[i]);
                    break;
                case PERM:
                    c = Comparator.comparing(i -> regions.get(shown[i]).mapping().perms().toString());
                    break;
                default:
                    c = (a, b) -> Long.compareUnsigned(key(order.key(), a), key(order.key(), b));
            }
            if (order.key().largestFirst() != order.reverse()) {
                c = c.reversed();
            }
            Arrays.sort(pos, c.thenComparingInt(i -> shown[i]));
            int[] idx = new int[rows];
            String[] k = new String[rows];
            String[] nm = new String[rows];
            for (int i = 0; i < rows; i++) {
                idx[i] = shown[pos[i]];
                k[i] = kinds[pos[i]];
                nm[i] = names[pos[i]];
            }
            System.arraycopy(idx, 0, shown, 0, rows);
            System.arraycopy(k, 0, kinds, 0, rows);
            System.arraycopy(nm, 0, names, 0, rows);
        }

        /** The numeric key of row {@code i} (unsigned for addresses). */
        private long key(Sort s, int i) {
            Region r = regions.get(shown[i]);
            Mapping m = r.mapping();
            Smaps sm = r.smaps();
            switch (s) {
                case START:
                    return m.start();
                case END:
                    return m.end();
                case SIZE:
                    return m.size();
                case RSS:
                    return sm == null ? 0 : sm.rss();
                case PSS:
                    return sm == null ? 0 : sm.pss();
                case SWAP:
                    return sm == null ? 0 : sm.swap();
                case THP:
                    return sm == null ? 0 : thp(sm);
                default:
                    return shown[i];
            }
        }

        @Override
        public List<Column> columns() {
            return columns;
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
        public boolean asciiOnly() {
            return ascii;
        }

        @Override
        public void row(int i, RowBuffer b) {
            int index = shown[i];
            Region r = regions.get(index);
            Mapping m = r.mapping();
            Smaps sm = r.smaps();
            b.clear().kind(r.kind());
            b.decimal(index + 1);
            b.hex(m.start(), 12).hex(m.end(), 12).cell(sizes.format(m.size())).cell(m.perms().toString());
            if (smaps) {
                if (sm != null) {
                    b.cell(sizes.format(sm.rss())).cell(sizes.format(sm.pss())).cell(sizes.format(sm.swap()))
                            .cell(sizes.format(thp(sm)));
                } else {
                    b.cell("-").cell("-").cell("-").cell("-");
                }
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
            String text = label + ": " + rows + " mappings, size " + fmt.apply(size);
            if (smaps) {
                text += ", rss " + fmt.apply(useRollup ? rollup.rss() : rss) + ", pss "
                        + fmt.apply(useRollup ? rollup.pss() : pss) + ", swap "
                        + fmt.apply(useRollup ? rollup.swap() : swap) + ", thp "
                        + fmt.apply(useRollup ? thp(rollup) : thp);
            }
            return Line.of(Role.TOTAL, text);
        }
    }

    // ---- summaries ------------------------------------------------------------------------------------------------

    /**
     * One row per kind, or per file (the file a mapping belongs to: its ELF owner, such as the library whose .bss an
     * anonymous mapping is, else its name, "[anonymous]" for plain anonymous memory), with the number of mappings and
     * their summed size and usage; largest RSS first unless sorted otherwise. The totals line is the one the table
     * would have.
     */
    public static List<Block> summary(Snapshot s, Filter f, Units units, Summary by, Order order) {
        LongFunction<String> fmt = units == Units.HUMAN ? Format::size : units == Units.KIB ? Format::kib
                : Long::toString;
        boolean smaps = hasSmaps(s);
        Map<String, long[]> groups = new LinkedHashMap<>();
        Map<String, RegionKind> kindOf = new LinkedHashMap<>();
        for (Region r : s.regions()) {
            if (!f.accepts(r)) {
                continue;
            }
            String key = by == Summary.KIND ? Kinds.name(r.kind()) : Escape.forTerminal(owner(r));
            long[] g = groups.computeIfAbsent(key, k -> new long[6]);
            kindOf.putIfAbsent(key, r.kind());
            Smaps sm = r.smaps();
            g[0]++;
            g[1] += r.mapping().size();
            if (sm != null) {
                g[2] += sm.rss();
                g[3] += sm.pss();
                g[4] += sm.swap();
                g[5] += thp(sm);
            }
        }
        List<String> keys = new ArrayList<>(groups.keySet());
        Sort key = order.key() == Sort.N ? (smaps ? Sort.RSS : Sort.SIZE) : order.key();
        int slot = key == Sort.COUNT ? 0 : key == Sort.SIZE ? 1 : key == Sort.RSS ? 2 : key == Sort.PSS ? 3
                : key == Sort.SWAP ? 4 : key == Sort.THP ? 5 : -1;
        Comparator<String> c = slot < 0 ? Comparator.naturalOrder()
                : Comparator.comparingLong(k -> groups.get(k)[slot]);
        if (key.largestFirst() != order.reverse()) {
            c = c.reversed();
        }
        keys.sort(c.thenComparing(Comparator.naturalOrder()));
        List<Column> cols = new ArrayList<>(List.of(Column.right("COUNT"), Column.right("SIZE")));
        if (smaps) {
            cols.addAll(List.of(Column.right("RSS"), Column.right("PSS").hides(1), Column.right("SWAP").hides(2),
                    Column.right("THP").hides(3)));
        }
        cols.add(by == Summary.KIND ? Column.left("KIND") : Column.left("FILE").shrinksFromStart(4, 12));
        List<Row> rows = new ArrayList<>();
        long[] all = new long[6];
        for (String k : keys) {
            long[] g = groups.get(k);
            List<String> cells = new ArrayList<>(List.of(Long.toString(g[0]), fmt.apply(g[1])));
            if (smaps) {
                cells.addAll(List.of(fmt.apply(g[2]), fmt.apply(g[3]), fmt.apply(g[4]), fmt.apply(g[5])));
            }
            cells.add(k);
            for (int i = 0; i < 6; i++) {
                all[i] += g[i];
            }
            rows.add(by == Summary.KIND ? new Row(Role.KIND, kindOf.get(k), cells) : new Row(Role.PLAIN, null, cells));
        }
        String text = "total of " + keys.size() + (by == Summary.KIND ? " kinds: " : " files: ") + all[0]
                + " mappings, size " + fmt.apply(all[1]);
        if (smaps) {
            text += ", rss " + fmt.apply(all[2]) + ", pss " + fmt.apply(all[3]) + ", swap " + fmt.apply(all[4])
                    + ", thp " + fmt.apply(all[5]);
        }
        return List.of(new ListTable(cols, rows), Line.of(Role.TOTAL, text));
    }

    /** The file a mapping belongs to, for {@link Summary#FILE}. */
    static String owner(Region r) {
        if (r.owner() != null) {
            return r.owner();
        }
        String t = r.mapping().path().text();
        return t.isEmpty() ? "[anonymous]" : t;
    }

    /** AnonHugePages: anonymous memory mapped with transparent huge pages (smaps, bytes; 0 when not written). */
    static long thp(Smaps s) {
        return s.get("AnonHugePages"); // one lookup by identity of the parser's key: this runs twice per row
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
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
