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
        // Rows are written as they are made (a 60,000-mapping process has 60,000 rows): a first pass only measures
        // the columns whose width depends on the data.
        List<Region> regions = s.regions();
        String[] kinds = new String[regions.size()];
        int wAddr = 5;
        int wKind = 4;
        long maxSize = 0;
        long maxUsage = 0;
        for (int i = 0; i < regions.size(); i++) {
            Region r = regions.get(i);
            if (!f.accepts(r)) {
                continue;
            }
            Mapping m = r.mapping();
            kinds[i] = Kinds.cell(r);
            wKind = Math.max(wKind, kinds[i].length());
            wAddr = Math.max(wAddr, Math.max(hexDigits(m.start()), hexDigits(m.end())));
            maxSize = Math.max(maxSize, m.size());
            if (r.smaps() != null) {
                maxUsage = Math.max(maxUsage, Math.max(r.smaps().rss(), Math.max(r.smaps().pss(), r.smaps().swap())));
            }
        }
        int wSize = Math.max(4, units == Units.HUMAN ? 5 : fmt.apply(maxSize).length());
        int wUse = Math.max(4, units == Units.HUMAN ? 5 : fmt.apply(maxUsage).length());

        StringBuilder b = new StringBuilder(256);
        cell(b, "START", wAddr, false).append("  ");
        cell(b, "END", wAddr, false).append("  ");
        cell(b, "SIZE", wSize, true).append("  ").append("PERM").append("  ");
        cell(b, "RSS", wUse, true).append("  ");
        cell(b, "PSS", wUse, true).append("  ");
        cell(b, "SWAP", wUse, true).append("  ");
        cell(b, "KIND", wKind, false).append("  ").append("NAME");
        out.println(style.bold(b.toString()));

        long size = 0;
        long rss = 0;
        long pss = 0;
        long swap = 0;
        int shown = 0;
        char[] line = new char[512];
        char[] hex = new char[16];
        SmallSizes pages = new SmallSizes(fmt);
        for (int i = 0; i < regions.size(); i++) {
            if (kinds[i] == null) {
                continue;
            }
            Region r = regions.get(i);
            Mapping m = r.mapping();
            Smaps sm = r.smaps();
            size += m.size();
            b.setLength(0);
            addr(b, m.start(), hex, wAddr).append("  ");
            addr(b, m.end(), hex, wAddr).append("  ");
            cell(b, pages.format(m.size()), wSize, true).append("  ").append(m.perms().toString()).append("  ");
            if (sm != null) {
                long r1 = sm.rss();
                long p1 = sm.pss();
                long s1 = sm.swap();
                rss += r1;
                pss += p1;
                swap += s1;
                cell(b, pages.format(r1), wUse, true).append("  ");
                cell(b, pages.format(p1), wUse, true).append("  ");
                cell(b, pages.format(s1), wUse, true).append("  ");
            } else {
                cell(b, "-", wUse, true).append("  ");
                cell(b, "-", wUse, true).append("  ");
                cell(b, "-", wUse, true).append("  ");
            }
            String name = Kinds.nameCell(m.path());
            cell(b, kinds[i], name.isEmpty() ? 0 : wKind, false);
            if (!name.isEmpty()) {
                b.append("  ").append(name);
            }
            String colour = Kinds.colour(r.kind());
            if (colour != null && style.enabled()) {
                out.println(style.apply(colour, b.toString()));
            } else {
                if (line.length < b.length() + 1) {
                    line = new char[b.length() * 2 + 1];
                }
                int n = b.length();
                b.getChars(0, n, line, 0);
                line[n] = '\n';
                out.write(line, 0, n + 1);
            }
            shown++;
        }
        Smaps rollup = s.rollup();
        boolean useRollup = f.isEmpty() && rollup != null;
        String label = useRollup ? "total (smaps_rollup)" : f.isEmpty() ? "total" : "total of shown";
        if (useRollup) {
            rss = rollup.rss();
            pss = rollup.pss();
            swap = rollup.swap();
        }
        boolean hasSmaps = !regions.isEmpty() && regions.get(0).smaps() != null;
        out.println(style.bold(label + ": " + shown + " mappings, size " + fmt.apply(size)
                + ", rss " + (hasSmaps ? fmt.apply(rss) : "-") + ", pss " + (hasSmaps ? fmt.apply(pss) : "-")
                + ", swap " + (hasSmaps ? fmt.apply(swap) : "-")));
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

    /** Appends an address as {@link Format#addr} writes it (hex, at least 12 digits), padded to {@code width}. */
    private static StringBuilder addr(StringBuilder b, long v, char[] digits, int width) {
        int n = hexDigits(v);
        for (int k = n - 1; k >= 0; k--) {
            digits[k] = Character.forDigit((int) (v & 15), 16);
            v >>>= 4;
        }
        b.append(digits, 0, n);
        pad(b, width - n);
        return b;
    }

    private static int hexDigits(long v) {
        return Math.max(12, (64 - Long.numberOfLeadingZeros(v) + 3) / 4);
    }

    private static final String SPACES = " ".repeat(128);

    /** Appends {@code text} padded to {@code width}, right-aligned for numbers. */
    private static StringBuilder cell(StringBuilder b, String text, int width, boolean right) {
        int pad = width - text.length();
        if (right) {
            pad(b, pad);
            b.append(text);
        } else {
            b.append(text);
            pad(b, pad);
        }
        return b;
    }

    private static void pad(StringBuilder b, int n) {
        while (n > 0) {
            int k = Math.min(n, SPACES.length());
            b.append(SPACES, 0, k);
            n -= k;
        }
    }
}
