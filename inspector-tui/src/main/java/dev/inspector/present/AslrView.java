package dev.inspector.present;

import dev.inspector.core.aslr.AslrReport;
import dev.inspector.core.aslr.AslrStats;
import dev.inspector.core.claims.Check;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code inspector aslr} as blocks: per region kind the distinct values, the bits that changed, the fixed low bits
 * (alignment) and the Shannon estimate over the top bits, with the runs it would take to measure all bits that way;
 * the kinds that move together; the published paxtest figures beside ours; pitfalls; the claims.
 */
public final class AslrView {

    private AslrView() {
    }

    /** A progress bar for a terminal: "[#####     ] 57/200", to be written after a carriage return. */
    public static String progress(int done, int total, int width) {
        int filled = total == 0 ? width : (int) ((long) done * width / total);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < width; i++) {
            b.append(i < filled ? '#' : ' ');
        }
        return b.append("] ").append(done).append('/').append(total).toString();
    }

    public static List<Block> present(AslrReport r) {
        AslrReport.Settings s = r.settings();
        List<Block> out = new ArrayList<>();
        out.add(Line.of(Span.of(Role.TOTAL, "inspector aslr"), Span.plain(": " + r.runs().size() + " runs of "
                + Escape.forTerminal(String.join(" ", r.command())) + (r.noRandomize()
                ? " with ADDR_NO_RANDOMIZE (personality, set for each child through JNA)" : ""))));
        out.add(Line.of("kernel: Linux " + Escape.forTerminal(s.kernelRelease()) + ", randomize_va_space "
                + value(s.randomizeVaSpace()) + ", vm.mmap_rnd_bits " + value(s.mmapRndBits())
                + ", vm.mmap_rnd_compat_bits " + value(s.mmapRndCompatBits())));
        out.add(Line.blank());
        List<Row> rows = new ArrayList<>();
        int maxBins = 0;
        for (AslrStats.KindStats k : r.kinds()) {
            maxBins = Math.max(maxBins, k.shannonBinBits());
            rows.add(Row.of(k.distinct() == 1 && k.runs() > 1 ? Role.MUTED : Role.PLAIN, Escape.forTerminal(k.kind()),
                    k.distinct() + "/" + k.runs(), Integer.toString(k.changedBits()),
                    k.changedMask() == 0 ? "-" : k.lowFixedBits() + " (" + Format.size(1L << k.lowFixedBits()) + ")",
                    k.shannonBinBits() == 0 ? "-" : String.format(Locale.ROOT, "%.2f of %d", k.shannonBits(),
                            k.shannonBinBits()), Format.hex(k.min()), Format.hex(k.max())));
        }
        // On a narrow terminal: long library names are cut first, then FIXED LOW (the alignment, usually the page
        // size) and SHANNON (often '-' with few runs) are left out; the bits and the range always show.
        out.add(new ListTable(List.of(Column.left("KIND").shrinks(3, 16), Column.right("DISTINCT"),
                Column.right("BITS"), Column.right("FIXED LOW").hides(2), Column.right("SHANNON").hides(1),
                Column.left("LOWEST"), Column.left("HIGHEST")), rows));
        out.add(Line.blank());
        out.add(Line.of(Role.MUTED, "BITS: bit positions that vary among the offsets from the lowest value (paxtest's"
                + " count, without its carries); it needs few runs."));
        out.add(Line.of(Role.MUTED, "SHANNON: entropy of the top k varying bits over 2^k bins, k = floor(log2(runs /"
                + " 5)) = " + maxBins + " here; " + sampleSize(r) + "."));
        if (!r.together().isEmpty()) {
            out.add(Line.blank());
            for (List<String> g : r.together()) {
                out.add(Line.of("moves together (constant offsets): " + Escape.forTerminal(String.join(", ", g))));
            }
        }
        out.add(Line.blank());
        List<Row> refs = new ArrayList<>();
        for (AslrReport.Reference ref : r.references()) {
            refs.add(Row.of(ref.test(), ref.published() + " bits", ref.measured() < 0 ? "-" : ref.measured() + " bits",
                    Escape.forTerminal(ref.kind()), ref.note()));
        }
        out.add(new ListTable(List.of(Column.left("PAXTEST (stock x86-64)"), Column.right("PUBLISHED"),
                Column.right("HERE"), Column.left("KIND").shrinks(1, 13), Column.left("NOTE").shrinks(2, 12)), refs));
        if (!r.pitfalls().isEmpty()) {
            out.add(Line.blank());
            out.add(Line.of(Role.WARNING, "pitfalls:"));
            for (String x : r.pitfalls()) {
                out.add(Line.of("  - " + Escape.forTerminal(x)).hanging(4));
            }
        }
        out.add(Line.blank());
        for (Check c : r.checks()) {
            out.addAll(DemoView.check(c));
        }
        out.add(Line.blank());
        out.add(DemoView.tally("summary: ", r.outcome(), ""));
        return out;
    }

    /** What the Shannon estimate of the most random kind would need to cover all its bits, said plainly. */
    static String sampleSize(AslrReport r) {
        AslrStats.KindStats most = null;
        for (AslrStats.KindStats k : r.kinds()) {
            if (most == null || k.changedBits() > most.changedBits()) {
                most = k;
            }
        }
        if (most == null || most.changedBits() == 0) {
            return "nothing varied";
        }
        return "estimating all " + most.changedBits() + " bits of " + most.kind() + " that way would need about "
                + String.format(Locale.ROOT, "%.2g", most.runsForAllBits()) + " runs (5 per bin)";
    }

    private static String value(Long v) {
        return v == null ? "? (root only)" : v.toString();
    }
}
