package dev.inspector.tui;

import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The whole 64-bit address space as a column of rows, top (2^64) to bottom (0), the way the documents draw it: the
 * kernel half as one reserved band (with {@code [vsyscall]}, the one mapping the kernel shows there), the
 * non-canonical hole, then the user half with its mappings and the gaps between them.
 *
 * <p>Heights are not proportional: 4 KiB next to 128 TiB would vanish. Every row is one band. The largest gaps get a
 * row of their own labelled with their size; when there are more mappings than rows, neighbouring mappings share a
 * row (a group, labelled with its count), except around the selected mapping, which keeps single rows for itself
 * and its neighbours ("fisheye"), so a 4 KiB guard page next to the selection is always its own row. Pure: a list of
 * regions in, a list of bands out.
 */
public final class AddressColumn {

    public enum Type { KERNEL, HOLE, GAP, REGION, GROUP }

    /**
     * One row. {@code start}/{@code end}: the range (unsigned; {@code end} 0 means 2^64). For REGION and GROUP,
     * {@code first} and {@code count} are the indexes (in the address-ordered input) of the regions in the row and
     * {@code kind} the kind that covers most bytes of it; {@code bytes} is the mapped size (the gap's size for GAP).
     * {@code selected}: the row holds the selected region. {@code continuation}: a second row of a tall band.
     */
    public record Band(Type type, long start, long end, RegionKind kind, int first, int count, long bytes,
                       boolean selected, boolean continuation) {
    }

    private AddressColumn() {
    }

    /**
     * What does not depend on the selection or the height, computed once per point (on the thread that produced it):
     * the user half's items (mappings and the gaps between them, top down) and the gaps ordered largest first, so a
     * key that moves the selection on a 60,000-mapping process does not sort 60,000 gaps again.
     */
    public static final class Prepared {
        final List<Region> regions;
        final int vaBits;
        final List<Integer> kernelRegions = new ArrayList<>();
        final List<Item> items = new ArrayList<>();
        final List<Integer> gapsBySize = new ArrayList<>();
        final boolean noUser;
        /** prefix[i]: bytes of regions 0..i-1, so a group's size is one subtraction. */
        final long[] prefix;

        Prepared(List<Region> regions, int vaBits) {
            this.regions = regions;
            this.vaBits = vaBits;
            this.prefix = new long[regions.size() + 1];
            for (int i = 0; i < regions.size(); i++) {
                prefix[i + 1] = prefix[i] + regions.get(i).mapping().size();
            }
            long userTop = 1L << (vaBits - 1);
            int firstUser = regions.size();
            int lastUser = -1;
            for (int i = regions.size() - 1; i >= 0; i--) {
                long s = regions.get(i).mapping().start();
                if (Long.compareUnsigned(s, userTop) >= 0) {
                    kernelRegions.add(i);
                } else {
                    lastUser = Math.max(lastUser, i);
                    firstUser = Math.min(firstUser, i);
                }
            }
            noUser = lastUser < 0;
            if (!noUser) {
                long above = userTop;
                for (int i = lastUser; i >= firstUser; i--) {
                    long s = regions.get(i).mapping().start();
                    long e = regions.get(i).mapping().end();
                    if (Long.compareUnsigned(e, above) < 0) {
                        items.add(new Item(-1, e, above));
                    }
                    items.add(new Item(i, s, e));
                    above = s;
                }
                if (above != 0) {
                    items.add(new Item(-1, 0, above));
                }
                for (int k = 0; k < items.size(); k++) {
                    if (items.get(k).gap()) {
                        gapsBySize.add(k);
                    }
                }
                gapsBySize.sort((a, b) -> Long.compareUnsigned(items.get(b).size(), items.get(a).size()));
            }
        }
    }

    public static Prepared prepare(List<Region> regions, int vaBits) {
        return new Prepared(regions, vaBits);
    }

    /**
     * Lays out {@code rows} rows for {@code regions} (sorted by start, unsigned, as maps lists them), with
     * {@code selected} (an index into it, or -1) kept in view, on a machine with {@code vaBits}-bit virtual addresses
     * (48 for 4-level paging, 57 for 5-level).
     */
    public static List<Band> layout(List<Region> regions, int selected, int rows, int vaBits) {
        return layout(prepare(regions, vaBits), selected, rows);
    }

    /** The same from a {@link #prepare}d point: O(mappings) without sorting. */
    public static List<Band> layout(Prepared p, int selected, int rows) {
        if (rows <= 0) {
            return List.of();
        }
        List<Region> regions = p.regions;
        long userTop = 1L << (p.vaBits - 1);
        long kernelStart = -userTop; // the canonical kernel half starts at the sign-extended top bit
        List<Band> top = new ArrayList<>();
        for (int i : p.kernelRegions) {
            top.add(single(regions.get(i), i, i == selected));
        }
        top.add(new Band(Type.KERNEL, kernelStart, 0, null, -1, 0, -kernelStart, false, false));
        top.add(new Band(Type.HOLE, userTop, kernelStart, null, -1, 0, kernelStart - userTop, false, false));
        if (top.size() >= rows) {
            return top.subList(0, rows);
        }
        List<Band> user = p.noUser ? gapOnly(userTop) : user(p, selected, rows - top.size());
        List<Band> out = new ArrayList<>(top);
        out.addAll(user);
        return out.size() > rows ? out.subList(0, rows) : out;
    }

    private static List<Band> gapOnly(long userTop) {
        return List.of(new Band(Type.GAP, 0, userTop, null, -1, 0, userTop, false, false));
    }

    private static Band single(Region r, int i, boolean sel) {
        return new Band(Type.REGION, r.mapping().start(), r.mapping().end(), r.kind(), i, 1, r.mapping().size(), sel,
                false);
    }

    /** An item of the user half, in descending address order: a region (index) or a gap (index -1). */
    private record Item(int region, long start, long end) {
        boolean gap() {
            return region < 0;
        }

        long size() {
            return end - start;
        }
    }

    private static List<Band> user(Prepared p, int selected, int budget) {
        List<Item> items = p.items;
        List<Region> regions = p.regions;
        int n = items.size();
        if (n <= budget) {
            return stretch(items, regions, selected, budget);
        }
        // Which gaps keep a row: the largest, at most a quarter of the rows (the outer two are always among them,
        // being the largest by far on any 64-bit process).
        List<Integer> gapIdx = p.gapsBySize;
        int keep = Math.min(gapIdx.size(), Math.max(1, budget / 4));
        while (true) {
            List<Integer> shown = new ArrayList<>(gapIdx.subList(0, keep));
            Collections.sort(shown);
            List<int[]> segments = segments(items, shown);
            int regionRows = budget - keep;
            if (segments.size() <= regionRows || keep == 0) {
                return place(p, selected, shown, segments, regionRows);
            }
            keep--;
        }
    }

    /** Runs of region items between the shown gaps: [from, to) item positions, each with at least one region. */
    private static List<int[]> segments(List<Item> items, List<Integer> shownGaps) {
        List<int[]> out = new ArrayList<>();
        int from = 0;
        List<Integer> cuts = new ArrayList<>(shownGaps);
        cuts.add(items.size());
        for (int cut : cuts) {
            int a = from;
            int b = cut;
            boolean hasRegion = false;
            for (int k = a; k < b; k++) {
                if (!items.get(k).gap()) {
                    hasRegion = true;
                    break;
                }
            }
            if (hasRegion) {
                out.add(new int[] {a, b});
            }
            from = cut + 1;
        }
        return out;
    }

    /** The highest region of items [a, b) (the first region item) and the lowest (the last): gaps never repeat. */
    private static int[] range(List<Item> items, int a, int b) {
        int hi = items.get(a).gap() ? items.get(a + 1).region() : items.get(a).region();
        int lo = items.get(b - 1).gap() ? items.get(b - 2).region() : items.get(b - 1).region();
        return new int[] {hi, lo};
    }

    private static List<Band> place(Prepared p, int selected, List<Integer> shownGaps, List<int[]> segments,
                                    int regionRows) {
        List<Item> items = p.items;
        // Rows per segment: one each, the rest in proportion to the number of regions, the selected segment first.
        int[] count = new int[segments.size()];
        int selSeg = -1;
        int total = 0;
        for (int s = 0; s < segments.size(); s++) {
            int[] seg = segments.get(s);
            int[] hl = range(items, seg[0], seg[1]);
            count[s] = hl[0] - hl[1] + 1;
            if (selected >= hl[1] && selected <= hl[0]) {
                selSeg = s;
            }
            total += count[s];
        }
        int[] rows = new int[segments.size()];
        int left = regionRows;
        for (int s = 0; s < rows.length; s++) {
            rows[s] = 1;
            left--;
        }
        if (selSeg >= 0 && left > 0) {
            int want = Math.min(count[selSeg] - 1, Math.max(left / 2, Math.min(left, 7)));
            rows[selSeg] += want;
            left -= want;
            total -= count[selSeg];
        }
        int spare = left;
        for (int s = 0; s < rows.length && total > 0; s++) {
            if (s == selSeg) {
                continue;
            }
            int add = (int) Math.min(count[s] - rows[s], (long) spare * count[s] / total);
            rows[s] += Math.max(0, add);
            left -= Math.max(0, add);
        }
        // Whatever rounding left over goes to the segments that can use it, largest first.
        for (boolean progress = true; left > 0 && progress; ) {
            progress = false;
            for (int s = 0; s < rows.length && left > 0; s++) {
                if (rows[s] < count[s]) {
                    rows[s]++;
                    left--;
                    progress = true;
                }
            }
        }
        List<Band> out = new ArrayList<>();
        int seg = 0;
        int k = 0;
        int g = 0;
        while (k < items.size()) {
            if (g < shownGaps.size() && shownGaps.get(g) == k) {
                Item it = items.get(k);
                out.add(new Band(Type.GAP, it.start(), it.end(), null, -1, 0, it.size(), false, false));
                g++;
                k++;
                continue;
            }
            if (seg < segments.size() && segments.get(seg)[0] == k) {
                int[] s = segments.get(seg);
                // A segment's regions are consecutive indexes, highest first: [hi, hi-1, ..., lo].
                int[] hl = range(items, s[0], s[1]);
                out.addAll(bin(p, new Desc(hl[0], hl[1]), selected, rows[seg]));
                seg++;
                k = s[1];
                continue;
            }
            k++; // a gap that is not shown, outside any segment
        }
        return out;
    }

    /** Region indexes hi, hi-1, ..., lo as a list (descending address order) without a box per mapping. */
    private static final class Desc extends java.util.AbstractList<Integer> {
        private final int hi;
        private final int n;

        Desc(int hi, int lo) {
            this.hi = hi;
            this.n = hi - lo + 1;
        }

        @Override
        public Integer get(int j) {
            return hi - j;
        }

        @Override
        public int size() {
            return n;
        }

        @Override
        public int indexOf(Object o) {
            int v = (Integer) o;
            int j = hi - v;
            return j >= 0 && j < n ? j : -1;
        }
    }

    /** {@code idx}: region indexes in descending address order, binned into {@code rows} rows. */
    private static List<Band> bin(Prepared p, List<Integer> idx, int selected, int rows) {
        List<Region> regions = p.regions;
        int m = idx.size();
        List<Band> out = new ArrayList<>();
        if (m <= rows) {
            for (int i : idx) {
                out.add(single(regions.get(i), i, i == selected));
            }
            return out;
        }
        int s = idx.indexOf(selected);
        if (s < 0) {
            equalBins(p, idx, 0, m, rows, selected, out);
            return out;
        }
        // Fisheye: single rows around the selection, the rest in groups above and below it.
        int window = Math.max(1, Math.min(m, rows / 2 + 1));
        int before = s;
        int after = m - s - 1;
        int lo = Math.max(0, s - window / 2);
        int hi = Math.min(m, lo + window);
        lo = Math.max(0, hi - window);
        int restRows = rows - (hi - lo);
        int nBefore = lo;
        int nAfter = m - hi;
        int sides = (nBefore > 0 ? 1 : 0) + (nAfter > 0 ? 1 : 0);
        while (restRows < sides) { // not enough rows for a group on each side: shrink the window
            if (hi - lo <= 1) {
                break;
            }
            if (hi - 1 > s) {
                hi--;
            } else {
                lo++;
            }
            restRows = rows - (hi - lo);
            nBefore = lo;
            nAfter = m - hi;
            sides = (nBefore > 0 ? 1 : 0) + (nAfter > 0 ? 1 : 0);
        }
        int rowsBefore = nBefore == 0 ? 0 : nAfter == 0 ? restRows
                : Math.max(1, Math.min(restRows - 1, (int) Math.round((double) restRows * nBefore / (nBefore + nAfter))));
        int rowsAfter = restRows - rowsBefore;
        if (before >= 0 && nBefore > 0) {
            equalBins(p, idx, 0, lo, rowsBefore, selected, out);
        }
        for (int j = lo; j < hi; j++) {
            int i = idx.get(j);
            out.add(single(regions.get(i), i, i == selected));
        }
        if (after >= 0 && nAfter > 0) {
            equalBins(p, idx, hi, m, rowsAfter, selected, out);
        }
        return out;
    }

    private static void equalBins(Prepared p, List<Integer> idx, int from, int to, int rows, int selected,
                                  List<Band> out) {
        List<Region> regions = p.regions;
        int m = to - from;
        if (rows <= 0 || m <= 0) {
            return;
        }
        rows = Math.min(rows, m);
        for (int b = 0; b < rows; b++) {
            int a = from + (int) ((long) b * m / rows);
            int e = from + (int) ((long) (b + 1) * m / rows);
            if (e - a == 1) {
                int i = idx.get(a);
                out.add(single(regions.get(i), i, i == selected));
                continue;
            }
            // idx is descending: idx.get(a) is the highest region of the bin, idx.get(e - 1) the lowest.
            int hiIdx = idx.get(a);
            int loIdx = idx.get(e - 1);
            long bytes = p.prefix[hiIdx + 1] - p.prefix[loIdx];
            boolean sel = selected >= loIdx && selected <= hiIdx;
            // The kind covering most bytes, from at most 64 mappings spread over the group (a group of 60,000 is
            // drawn on every key: its colour need not cost a pass over all of them).
            long[] byKind = new long[RegionKind.values().length];
            int count = e - a;
            int step = Math.max(1, count / 64);
            for (int j = a; j < e; j += step) {
                Region r = regions.get(idx.get(j));
                byKind[r.kind().ordinal()] += r.mapping().size();
            }
            int best = 0;
            for (int k = 1; k < byKind.length; k++) {
                if (byKind[k] > byKind[best]) {
                    best = k;
                }
            }
            out.add(new Band(Type.GROUP, regions.get(loIdx).mapping().start(), regions.get(hiIdx).mapping().end(),
                    RegionKind.values()[best], loIdx, hiIdx - loIdx + 1, bytes, sel, false));
        }
    }

    /** Fewer items than rows: one row each, then extra rows for the largest regions (at most three more each). */
    private static List<Band> stretch(List<Item> items, List<Region> regions, int selected, int budget) {
        int[] extra = new int[items.size()];
        int spare = budget - items.size();
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < items.size(); k++) {
            if (!items.get(k).gap()) {
                order.add(k);
            }
        }
        order.sort((a, b) -> Long.compareUnsigned(items.get(b).size(), items.get(a).size()));
        for (int round = 0; round < 3 && spare > 0; round++) {
            for (int k : order) {
                if (spare == 0) {
                    break;
                }
                if (items.get(k).size() >= (4096L << (4 * (round + 1)))) { // 64K, 1M, 16M for rows 2, 3, 4
                    extra[k]++;
                    spare--;
                }
            }
        }
        List<Band> out = new ArrayList<>();
        for (int k = 0; k < items.size(); k++) {
            Item it = items.get(k);
            if (it.gap()) {
                out.add(new Band(Type.GAP, it.start(), it.end(), null, -1, 0, it.size(), false, false));
                continue;
            }
            Band b = single(regions.get(it.region()), it.region(), it.region() == selected);
            out.add(b);
            for (int x = 0; x < extra[k]; x++) {
                out.add(new Band(b.type(), b.start(), b.end(), b.kind(), b.first(), b.count(), b.bytes(),
                        b.selected(), true));
            }
        }
        return out;
    }
}
