package dev.inspector.core.diff;

import dev.inspector.core.model.AslrBases;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.model.ThreadInfo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares two snapshots. Mappings are paired by overlap: a mapping of the first snapshot and one of the second are
 * "the same object" when their ranges overlap and they map the same thing there (the same file at the same file offset
 * for each address, or the same kind of anonymous memory with the same sharing). Connected groups of such pairs are the
 * unit of change: 1 to 1 is a mapping that kept its identity (it may have grown, shrunk, changed permissions or usage),
 * 1 to n a split, n to 1 a merge, 0 to 1 an addition, 1 to 0 a removal. This is how the kernel's own VMA operations
 * look from maps: mprotect of a middle part splits one VMA into three; brk extends [heap] upward; a stack fault extends
 * [stack] downward; vma_merge joins compatible neighbours.
 */
public final class SnapshotDiff {

    private static final Comparator<Region> BY_START = (x, y) -> Long.compareUnsigned(x.mapping().start(), y.mapping().start());

    private SnapshotDiff() {
    }

    public static DiffResult compare(Snapshot a, Snapshot b) {
        return compare(a, b, DiffOptions.byAddress());
    }

    public static DiffResult compare(Snapshot a, Snapshot b, DiffOptions opts) {
        List<Region> ra = sorted(a.regions());
        List<Region> rb = sorted(b.regions());
        List<RegionChange> changes = new ArrayList<>();
        List<DiffResult.ModuleShift> modules = new ArrayList<>();
        if (opts.match() == DiffOptions.Match.ADDRESS) {
            match(ra, rb, 0, true, changes);
        } else {
            matchByModule(ra, rb, changes, modules);
        }
        changes.sort((x, y) -> Long.compareUnsigned(x.sortAddress(), y.sortAddress()));
        DiffResult.Totals totals = new DiffResult.Totals(ra.size(), rb.size(), totalSize(ra), totalSize(rb),
                Usage.of(ra), Usage.of(rb), Usage.of(a.rollup()), Usage.of(b.rollup()));
        return new DiffResult(DiffResult.side(a.process(), a.takenAt(), ra.size()),
                DiffResult.side(b.process(), b.takenAt(), rb.size()), opts.match(), changes, totals,
                bases(a.bases(), b.bases()), modules, process(a, b));
    }

    private static List<Region> sorted(List<Region> regions) {
        List<Region> out = new ArrayList<>(regions);
        out.sort(BY_START);
        return out;
    }

    private static long totalSize(List<Region> regions) {
        long n = 0;
        for (Region r : regions) {
            n = Math.addExact(n, r.mapping().size()); // bounded by the readers; exact all the same
        }
        return n;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Pairing by overlap

    /**
     * Pairs {@code as} with {@code bs} (each sorted by start, without overlaps), where {@code bs} is compared after
     * moving it down by {@code shift}. {@code exact}: a 1-to-1 pair is unchanged only when the records are equal
     * (address matching); otherwise equal apart from the addresses.
     */
    static void match(List<Region> as, List<Region> bs, long shift, boolean exact, List<RegionChange> out) {
        int na = as.size();
        int nb = bs.size();
        int[] parent = new int[na + nb];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        int j = 0;
        for (int i = 0; i < na; i++) {
            Mapping a = as.get(i).mapping();
            // B's ranges are disjoint and sorted, so their ends are sorted too: j only moves forward.
            while (j < nb && Long.compareUnsigned(bs.get(j).mapping().end() - shift, a.start()) <= 0) {
                j++;
            }
            for (int k = j; k < nb && Long.compareUnsigned(bs.get(k).mapping().start() - shift, a.end()) < 0; k++) {
                if (compatible(a, bs.get(k).mapping(), shift)) {
                    union(parent, i, na + k);
                }
            }
        }
        // Each group in the order of its first member (its root: union keeps the lowest index as the root); members
        // stay in address order. Most groups of a refresh are one mapping on each side: those need no lists.
        int n = na + nb;
        int[] countA = new int[n];
        int[] countB = new int[n];
        int[] partner = new int[n];
        int[] rootOf = new int[n];
        for (int i = 0; i < n; i++) {
            int root = find(parent, i);
            rootOf[i] = root;
            if (i < na) {
                countA[root]++;
            } else {
                countB[root]++;
                partner[root] = i - na;
            }
        }
        Map<Integer, List<Region>> groupA = new HashMap<>();
        Map<Integer, List<Region>> groupB = new HashMap<>();
        for (int i = 0; i < n; i++) {
            int root = rootOf[i];
            if (countA[root] == 1 && countB[root] == 1) {
                continue;
            }
            if (i < na) {
                groupA.computeIfAbsent(root, k -> new ArrayList<>(1)).add(as.get(i));
            } else {
                groupB.computeIfAbsent(root, k -> new ArrayList<>(1)).add(bs.get(i - na));
            }
        }
        for (int root = 0; root < n; root++) {
            if (rootOf[root] != root) {
                continue;
            }
            RegionChange c = countA[root] == 1 && countB[root] == 1
                    ? evaluate(List.of(as.get(root)), List.of(bs.get(partner[root])), shift, exact)
                    : evaluate(groupA.getOrDefault(root, List.of()), groupB.getOrDefault(root, List.of()), shift, exact);
            if (c != null) {
                out.add(c);
            }
        }
    }

    /** Same object at the same place: same path and sharing, and for files the same file position per address. */
    static boolean compatible(Mapping a, Mapping b, long shift) {
        MappingPath pa = a.path();
        MappingPath pb = b.path();
        if (pa.type() != pb.type() || !pa.name().equals(pb.name()) || a.perms().shared() != b.perms().shared()) {
            return false;
        }
        if (pa.type() == MappingPath.Type.FILE) {
            return a.devMajor() == b.devMajor() && a.devMinor() == b.devMinor() && a.inode() == b.inode()
                    && b.offset() - a.offset() == (b.start() - shift) - a.start();
        }
        return true;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    private static void union(int[] parent, int x, int y) {
        int rx = find(parent, x);
        int ry = find(parent, y);
        if (rx != ry) {
            parent[Math.max(rx, ry)] = Math.min(rx, ry);
        }
    }

    /** The change one connected group represents, or null when it is unchanged. */
    static RegionChange evaluate(List<Region> before, List<Region> after, long shift, boolean exact) {
        // Most pairs of a refresh are unchanged: decided before anything is summed or named.
        if (before.size() == 1 && after.size() == 1) {
            Region x = before.get(0);
            Region y = after.get(0);
            if (exact ? x.equals(y) : sameApartFromAddress(x, y)) {
                return null;
            }
        }
        Set<Aspect> aspects = EnumSet.noneOf(Aspect.class);
        Usage ub = Usage.of(before);
        Usage ua = Usage.of(after);
        String label = label(after.isEmpty() ? before.get(0) : after.get(0));
        if (before.isEmpty()) {
            aspects.add(Aspect.ADDED);
            return new RegionChange(aspects, label, before, after, shift, ub, ua);
        }
        if (after.isEmpty()) {
            aspects.add(Aspect.REMOVED);
            return new RegionChange(aspects, label, before, after, shift, ub, ua);
        }
        long startA = before.get(0).mapping().start();
        long endA = before.get(before.size() - 1).mapping().end();
        long startB = after.get(0).mapping().start() - shift;
        long endB = after.get(after.size() - 1).mapping().end() - shift;
        int lo = Long.compareUnsigned(startB, startA);
        if (lo < 0) {
            aspects.add(Aspect.GREW_DOWN);
        } else if (lo > 0) {
            aspects.add(Aspect.SHRANK_AT_BOTTOM);
        }
        int hi = Long.compareUnsigned(endB, endA);
        if (hi > 0) {
            aspects.add(Aspect.GREW_UP);
        } else if (hi < 0) {
            aspects.add(Aspect.SHRANK_AT_TOP);
        }
        if (after.size() > 1) {
            aspects.add(Aspect.SPLIT);
        }
        if (before.size() > 1) {
            aspects.add(Aspect.MERGED);
        }
        if (permsChanged(before, after, shift)) {
            aspects.add(Aspect.PERMS);
        }
        if (ub != null && ua != null && !ub.equals(ua)) {
            aspects.add(Aspect.USAGE);
        }
        if (before.size() == 1 && after.size() == 1) {
            Region x = before.get(0);
            Region y = after.get(0);
            if (x.kind() != y.kind() || !Objects.equals(x.owner(), y.owner()) || !x.sections().equals(y.sections())
                    || !Objects.equals(x.tid(), y.tid()) || x.mapping().path().deleted() != y.mapping().path().deleted()
                    || aspects.isEmpty()) {
                aspects.add(Aspect.DETAILS);
            }
        }
        return new RegionChange(aspects, label, before, after, shift, ub, ua);
    }

    private static boolean permsChanged(List<Region> before, List<Region> after, long shift) {
        for (Region y : after) {
            long ys = y.mapping().start() - shift;
            long ye = y.mapping().end() - shift;
            for (Region x : before) {
                Mapping m = x.mapping();
                boolean overlap = Long.compareUnsigned(m.start(), ye) < 0 && Long.compareUnsigned(ys, m.end()) < 0;
                if (overlap && !m.perms().equals(y.mapping().perms())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Equal except where ASLR put it (and the anonymous page offset, which the kernel derives from the address). */
    private static boolean sameApartFromAddress(Region x, Region y) {
        Mapping a = x.mapping();
        Mapping b = y.mapping();
        boolean file = a.path().type() == MappingPath.Type.FILE;
        return a.size() == b.size() && a.perms().equals(b.perms()) && a.path().equals(b.path())
                && a.devMajor() == b.devMajor() && a.devMinor() == b.devMinor() && a.inode() == b.inode()
                && (!file || a.offset() == b.offset()) && x.kind() == y.kind() && Objects.equals(x.owner(), y.owner())
                && x.sections().equals(y.sections()) && Objects.equals(x.tid(), y.tid())
                && Objects.equals(x.smaps(), y.smaps()) && Objects.equals(x.residency(), y.residency())
                && Objects.equals(x.pages(), y.pages());
    }

    /** What a reader calls the region: owner or file path, the bracketed kernel name, or the kind. */
    static String label(Region r) {
        if (r.owner() != null) {
            return r.owner();
        }
        String text = r.mapping().path().text();
        if (!text.isEmpty()) {
            return text;
        }
        return r.kind() == null ? RegionKind.ANONYMOUS.label() : r.kind().label();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Pairing by module (two runs under ASLR)

    private static void matchByModule(List<Region> ra, List<Region> rb, List<RegionChange> out,
                                      List<DiffResult.ModuleShift> modules) {
        Map<String, List<Region>> ma = new LinkedHashMap<>();
        Map<String, List<Region>> mb = new LinkedHashMap<>();
        Map<String, Region> oa = new LinkedHashMap<>();
        Map<String, Region> ob = new LinkedHashMap<>();
        group(ra, ma, oa);
        group(rb, mb, ob);
        Set<String> keys = new TreeSet<>(ma.keySet());
        keys.addAll(mb.keySet());
        for (String key : keys) {
            List<Region> ga = ma.getOrDefault(key, List.of());
            List<Region> gb = mb.getOrDefault(key, List.of());
            Long baseA = loadBase(ga);
            Long baseB = loadBase(gb);
            long shift = baseA != null && baseB != null ? baseB - baseA : 0;
            match(ga, gb, shift, false, out);
            modules.add(new DiffResult.ModuleShift(key, baseA, baseB));
        }
        Set<String> others = new LinkedHashSet<>(oa.keySet());
        others.addAll(ob.keySet());
        for (String key : others) {
            Region x = oa.get(key);
            Region y = ob.get(key);
            if (x == null || y == null) {
                out.add(evaluate(x == null ? List.of() : List.of(x), y == null ? List.of() : List.of(y), 0, false));
                continue;
            }
            // A stack is anchored at its top (it grows down); everything else at its start.
            long shift = growsDown(x) ? y.mapping().end() - x.mapping().end() : y.mapping().start() - x.mapping().start();
            match(List.of(x), List.of(y), shift, false, out);
        }
    }

    /** Module regions (by owner, or by file path) into {@code modules}; the rest keyed by kind, name and ordinal. */
    private static void group(List<Region> regions, Map<String, List<Region>> modules, Map<String, Region> others) {
        Map<String, Integer> ordinals = new HashMap<>();
        for (Region r : regions) {
            String key = r.owner();
            if (key == null && r.mapping().path().isFile()) {
                key = r.mapping().path().name();
            }
            if (key != null) {
                modules.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
            } else {
                String base = r.kind() + " " + r.mapping().path().kernelText();
                int n = ordinals.merge(base, 1, Integer::sum) - 1;
                others.put(base + " #" + n, r);
            }
        }
    }

    private static boolean growsDown(Region r) {
        return r.kind() == RegionKind.STACK || r.kind() == RegionKind.THREAD_STACK || r.kind() == RegionKind.GUARD
                || r.mapping().path().type() == MappingPath.Type.STACK;
    }

    /** The load bias: the lowest {@code start - offset} over the module's file mappings, else its lowest start. */
    static Long loadBase(List<Region> group) {
        Long best = null;
        for (Region r : group) {
            Mapping m = r.mapping();
            if (m.path().isFile()) {
                long bias = m.start() - m.offset();
                if (best == null || Long.compareUnsigned(bias, best) < 0) {
                    best = bias;
                }
            }
        }
        if (best == null && !group.isEmpty()) {
            best = group.get(0).mapping().start();
        }
        return best;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Bases and process counters

    private static List<DiffResult.BaseShift> bases(AslrBases a, AslrBases b) {
        List<DiffResult.BaseShift> out = new ArrayList<>(6);
        out.add(new DiffResult.BaseShift("exeBase", a == null ? null : a.exeBase(), b == null ? null : b.exeBase()));
        out.add(new DiffResult.BaseShift("heapStart", a == null ? null : a.heapStart(), b == null ? null : b.heapStart()));
        out.add(new DiffResult.BaseShift("brk", a == null ? null : a.brk(), b == null ? null : b.brk()));
        out.add(new DiffResult.BaseShift("stackTop", a == null ? null : a.stackTop(), b == null ? null : b.stackTop()));
        out.add(new DiffResult.BaseShift("mmapBase", a == null ? null : a.mmapBase(), b == null ? null : b.mmapBase()));
        out.add(new DiffResult.BaseShift("vdso", a == null ? null : a.vdso(), b == null ? null : b.vdso()));
        return out;
    }

    private static DiffResult.ProcessDelta process(Snapshot a, Snapshot b) {
        var pa = a.process();
        var pb = b.process();
        Set<Integer> ta = new HashSet<>();
        for (ThreadInfo t : a.threads()) {
            ta.add(t.tid());
        }
        Set<Integer> tb = new HashSet<>();
        for (ThreadInfo t : b.threads()) {
            tb.add(t.tid());
        }
        List<Integer> started = new ArrayList<>(new TreeSet<>(tb));
        started.removeAll(ta);
        List<Integer> exited = new ArrayList<>(new TreeSet<>(ta));
        exited.removeAll(tb);
        TreeMap<String, Long[]> fields = new TreeMap<>();
        pa.statusMemory().forEach((k, v) -> fields.computeIfAbsent(k, x -> new Long[2])[0] = v);
        pb.statusMemory().forEach((k, v) -> fields.computeIfAbsent(k, x -> new Long[2])[1] = v);
        List<DiffResult.FieldDelta> mem = new ArrayList<>();
        fields.forEach((k, v) -> mem.add(new DiffResult.FieldDelta(k, v[0], v[1])));
        return new DiffResult.ProcessDelta(pa.pid() == pb.pid() && pa.startTime() == pb.startTime(),
                pa.minorFaults(), pb.minorFaults(), pa.majorFaults(), pb.majorFaults(), pa.threadCount(),
                pb.threadCount(), started, exited, mem);
    }
}
