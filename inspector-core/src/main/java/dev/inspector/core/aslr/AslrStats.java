package dev.inspector.core.aslr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pure statistics over the bases of many runs, per region kind:
 *
 * <ul>
 *   <li><b>distinct</b>: how many different values were seen;
 *   <li><b>changed bits</b> (paxtest's method, without its carries): the bits that vary among the offsets of the values
 *       from the lowest one, OR-ed together; their count is the entropy estimate. paxtest ORs the values XOR-ed with
 *       the first one, which counts a carry out of the random bits as one more bit (a base of 0x555555554000 plus 28
 *       random bits of pages reads as 30); offsets from the minimum have no such carry. It needs few runs: a bit that
 *       changes with probability 1/2 stays the same over n runs with probability 2^-(n-1);
 *   <li><b>fixed low bits</b>: the lowest changed bit; below it every run agrees (the alignment: 12 for pages, 21 for
 *       2 MiB);
 *   <li><b>Shannon over bins</b>: the plug-in entropy of the values' top {@code k} changed bits, with {@code k} the
 *       largest such that 2^k bins get at least five runs each on average (k = floor(log2(n / 5))). It tests that those
 *       bits are uniform (H close to k); measuring all changed bits that way would need about 5 × 2^bits runs, which
 *       {@link KindStats#runsForAllBits()} states;
 *   <li><b>moves together</b>: groups of kinds whose differences stay constant in every run (one random offset
 *       shared, e.g. the loader and the libraries).
 * </ul>
 */
public final class AslrStats {

    /** Runs per bin the Shannon estimate asks for. */
    public static final int RUNS_PER_BIN = 5;

    private AslrStats() {
    }

    /** The statistics of one kind over the runs where it was seen. */
    public record KindStats(String kind, int runs, int distinct, long changedMask, int changedBits, int lowFixedBits,
                            double shannonBits, int shannonBinBits, double runsForAllBits, long min, long max) {

        /** The highest changed bit + 1, or 0 when nothing changed. */
        public int highestChangedBit() {
            return changedMask == 0 ? 0 : 64 - Long.numberOfLeadingZeros(changedMask);
        }
    }

    public static KindStats of(String kind, List<Long> values) {
        int n = values.size();
        if (n == 0) {
            return new KindStats(kind, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        long min = values.get(0);
        long max = min;
        Set<Long> distinct = new HashSet<>();
        for (long v : values) {
            distinct.add(v);
            min = Long.compareUnsigned(v, min) < 0 ? v : min;
            max = Long.compareUnsigned(v, max) > 0 ? v : max;
        }
        long mask = 0;
        for (long v : values) {
            mask |= v - min;
        }
        int bits = Long.bitCount(mask);
        int low = mask == 0 ? 0 : Long.numberOfTrailingZeros(mask);
        int k = Math.min(bits, n < RUNS_PER_BIN * 2 ? 0 : 31 - Integer.numberOfLeadingZeros(n / RUNS_PER_BIN));
        double h = k == 0 ? 0 : shannon(values, min, topBits(mask, k));
        double need = bits == 0 ? 0 : RUNS_PER_BIN * Math.pow(2, bits);
        return new KindStats(kind, n, distinct.size(), mask, bits, low, h, k, need, min, max);
    }

    /** The positions of the {@code k} highest set bits of {@code mask}, high first. */
    static int[] topBits(long mask, int k) {
        int[] out = new int[k];
        int i = 0;
        for (int b = 63; b >= 0 && i < k; b--) {
            if ((mask & (1L << b)) != 0) {
                out[i++] = b;
            }
        }
        return out;
    }

    /**
     * Plug-in Shannon entropy, in bits, of the offsets' ({@code value - min}) bits at {@code positions} taken as one bin
     * number.
     */
    static double shannon(List<Long> values, long min, int[] positions) {
        Map<Long, Integer> bins = new HashMap<>();
        for (long v : values) {
            long bin = 0;
            for (int p : positions) {
                bin = (bin << 1) | (((v - min) >>> p) & 1);
            }
            bins.merge(bin, 1, Integer::sum);
        }
        double h = 0;
        double n = values.size();
        for (int c : bins.values()) {
            double p = c / n;
            h -= p * Math.log(p) / Math.log(2);
        }
        return h;
    }

    /** The kinds seen in every run, each with its values in run order (kinds missing from some run are skipped). */
    static Map<String, List<Long>> columns(List<AslrSample> samples) {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        if (samples.isEmpty()) {
            return out;
        }
        Set<String> kinds = new LinkedHashSet<>(samples.get(0).bases().keySet());
        for (AslrSample s : samples) {
            kinds.retainAll(s.bases().keySet());
        }
        for (String k : kinds) {
            List<Long> col = new ArrayList<>(samples.size());
            for (AslrSample s : samples) {
                col.add(s.bases().get(k));
            }
            out.put(k, col);
        }
        return out;
    }

    /**
     * Groups of kinds that move together: the difference between any two members is the same in every run. Kinds that
     * never move are left out (they trivially keep constant offsets); singletons are not listed.
     */
    public static List<List<String>> movesTogether(Map<String, List<Long>> columns) {
        List<String> kinds = new ArrayList<>();
        for (Map.Entry<String, List<Long>> e : columns.entrySet()) {
            if (new HashSet<>(e.getValue()).size() > 1) {
                kinds.add(e.getKey());
            }
        }
        List<List<String>> groups = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (String a : kinds) {
            if (placed.contains(a)) {
                continue;
            }
            List<String> g = new ArrayList<>();
            g.add(a);
            for (String b : kinds) {
                if (!b.equals(a) && !placed.contains(b) && constantOffset(columns.get(a), columns.get(b))) {
                    g.add(b);
                }
            }
            if (g.size() > 1) {
                groups.add(g);
                placed.addAll(g);
            }
        }
        return groups;
    }

    static boolean constantOffset(List<Long> a, List<Long> b) {
        long d = b.get(0) - a.get(0);
        for (int i = 1; i < a.size(); i++) {
            if (b.get(i) - a.get(i) != d) {
                return false;
            }
        }
        return true;
    }
}
