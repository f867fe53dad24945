package dev.inspector.core.aslr;

import dev.inspector.core.claims.Catalogue;
import dev.inspector.core.claims.Check;
import dev.inspector.core.claims.Claim;
import dev.inspector.core.claims.Expectation;
import dev.inspector.core.claims.Finding;
import dev.inspector.core.claims.Outcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code inspector aslr} found: the runs, the statistics of each region kind, the kinds that move together, the
 * kernel's settings, the published paxtest figures beside ours, the known pitfalls seen here, and the claims judged
 * from all that. Built by {@link #analyse}, which is pure.
 */
public record AslrReport(List<String> command, boolean sample, boolean noRandomize, List<AslrSample> runs,
                         List<AslrStats.KindStats> kinds, List<List<String>> together, Settings settings,
                         List<Reference> references, List<String> pitfalls, List<Check> checks) {

    public AslrReport {
        command = List.copyOf(command);
        runs = List.copyOf(runs);
        kinds = List.copyOf(kinds);
        together = List.copyOf(together);
        references = List.copyOf(references);
        pitfalls = List.copyOf(pitfalls);
        checks = List.copyOf(checks);
    }

    /**
     * The kernel's side: randomize_va_space, vm.mmap_rnd_bits and the compat bits (null when unreadable: root only),
     * and the kernel release.
     */
    public record Settings(Long randomizeVaSpace, Long mmapRndBits, Long mmapRndCompatBits, String kernelRelease) {
    }

    /**
     * A published paxtest figure for a stock x86-64 kernel ({@code published} bits, with {@code note}) beside the
     * changed bits measured here for {@code kind} (-1 when that kind was not seen).
     */
    public record Reference(String test, int published, String note, String kind, int measured) {
    }

    /** The run's verdict over its checks. */
    public Outcome outcome() {
        return Outcome.of(checks, "claims");
    }

    public AslrStats.KindStats kind(String name) {
        for (AslrStats.KindStats k : kinds) {
            if (k.kind().equals(name)) {
                return k;
            }
        }
        return null;
    }

    /** 2 MiB as a power of two: a mapping aligned to it has 21 fixed low bits. */
    static final int PMD_SHIFT = 21;

    /**
     * The statistics of {@code runs} and the claims judged on them. {@code forkEvidence} is the one-line result of the
     * fork experiment, or null when it was not made.
     */
    public static AslrReport analyse(List<String> command, boolean sample, boolean noRandomize,
                                     List<AslrSample> runs, Settings settings, String forkEvidence) {
        Map<String, List<Long>> cols = AslrStats.columns(runs);
        List<AslrStats.KindStats> kinds = new ArrayList<>();
        for (Map.Entry<String, List<Long>> e : cols.entrySet()) {
            kinds.add(AslrStats.of(e.getKey(), e.getValue()));
        }
        List<List<String>> together = AslrStats.movesTogether(cols);
        AslrReport partial = new AslrReport(command, sample, noRandomize, runs, kinds, together, settings, List.of(),
                List.of(), List.of());
        String lib = firstLibrary(kinds);
        List<Reference> refs = List.of(
                ref(partial, "anonymous mapping", 28, "vm.mmap_rnd_bits on a stock kernel",
                        partial.kind(AslrRunner.MMAP) != null ? AslrRunner.MMAP : AslrRunner.LOADER),
                ref(partial, "shared library", 28, "the mmap area", lib == null ? AslrRunner.LOADER : lib),
                ref(partial, "PIE executable", 28, "", AslrRunner.PROGRAM),
                ref(partial, "stack", 30, "page offset plus the sub-page shift", AslrRunner.STACK),
                ref(partial, "vDSO", 20, "", AslrRunner.VDSO),
                ref(partial, "heap (brk)", 13, "18 on newer kernels, which randomise brk over 1 GiB",
                        AslrRunner.HEAP_OFFSET));
        List<String> pitfalls = new ArrayList<>();
        for (AslrStats.KindStats k : kinds) {
            if (k.kind().startsWith(AslrRunner.LIB) && k.runs() >= 8 && k.changedMask() != 0
                    && k.lowFixedBits() >= PMD_SHIFT) {
                Long size = runs.get(0).librarySizes().get(k.kind());
                pitfalls.add(k.kind().substring(AslrRunner.LIB.length()) + " (" + (size == null ? "?" : size / 1024
                        + " KiB") + ") lies on a 2 MiB boundary in every run: its low " + k.lowFixedBits()
                        + " bits never change, " + (k.lowFixedBits() - 12) + " fewer random bits than a page-aligned"
                        + " mapping (large file mappings aligned for huge pages)");
            }
        }
        if (forkEvidence != null) {
            pitfalls.add("fork without exec keeps the layout: ASLR is applied at exec, so workers forked from one"
                    + " parent share its addresses (" + forkEvidence + ")");
        }
        List<Expectation<AslrReport>> expectations = new ArrayList<>();
        if (noRandomize) {
            expectations.add(nothingMoves());
        } else {
            expectations.add(randomised());
            expectations.add(mmapBits());
            expectations.add(brkRange());
        }
        AslrReport judged = new AslrReport(command, sample, noRandomize, runs, kinds, together, settings, refs,
                pitfalls, List.of());
        List<Check> checks = Expectation.checkAll(expectations, judged);
        return new AslrReport(command, sample, noRandomize, runs, kinds, together, settings, refs, pitfalls, checks);
    }

    private static String firstLibrary(List<AslrStats.KindStats> kinds) {
        for (AslrStats.KindStats k : kinds) {
            if (k.kind().startsWith(AslrRunner.LIB + "libc.")) {
                return k.kind();
            }
        }
        for (AslrStats.KindStats k : kinds) {
            if (k.kind().startsWith(AslrRunner.LIB)) {
                return k.kind();
            }
        }
        return null;
    }

    private static Reference ref(AslrReport r, String test, int published, String note, String kind) {
        AslrStats.KindStats k = r.kind(kind);
        return new Reference(test, published, note, kind, k == null ? -1 : k.changedBits());
    }

    static Expectation<AslrReport> randomised() {
        return new Expectation<>(Catalogue.claim("C25", "the stack, the mmap area and the heap get random offsets in"
                + " every process"), r -> {
                    if (r.runs().size() < 2) {
                        return Finding.cannotCheck("one run shows nothing moving; use --runs 2 or more");
                    }
                    List<String> seen = new ArrayList<>();
                    List<String> still = new ArrayList<>();
                    for (String kind : List.of(AslrRunner.STACK, AslrRunner.LOADER, AslrRunner.MMAP,
                            AslrRunner.PROGRAM, AslrRunner.HEAP_OFFSET)) {
                        AslrStats.KindStats k = r.kind(kind);
                        if (k != null) {
                            seen.add(kind + " " + k.distinct() + " distinct of " + k.runs());
                            if (k.distinct() == 1) {
                                still.add(kind);
                            }
                        }
                    }
                    String observed = String.join(", ", seen) + "; randomize_va_space " + r.settings()
                            .randomizeVaSpace();
                    if (still.isEmpty()) {
                        return Finding.holds(observed);
                    }
                    Long rva = r.settings().randomizeVaSpace();
                    if (still.equals(List.of(AslrRunner.HEAP_OFFSET)) && rva != null && rva == 1) {
                        return Finding.holdsWithNuance(observed, "randomize_va_space=1 leaves the brk heap at a fixed"
                                + " distance from the program");
                    }
                    return Finding.differs(observed, String.join(", ", still) + " did not move");
                });
    }

    static Expectation<AslrReport> mmapBits() {
        return new Expectation<>(Claim.of("the mmap area moves by vm.mmap_rnd_bits bits (page-granular)"), r -> {
            Long want = r.settings().mmapRndBits();
            AslrStats.KindStats k = r.kind(AslrRunner.LOADER) != null ? r.kind(AslrRunner.LOADER)
                    : r.kind(AslrRunner.MMAP);
            if (want == null) {
                return Finding.cannotCheck("vm.mmap_rnd_bits is readable by root only");
            }
            if (k == null) {
                return Finding.cannotCheck("no run showed a loader or an anonymous mapping (a static program?)");
            }
            String observed = k.kind() + ": " + k.changedBits() + " bits changed (bits " + k.lowFixedBits() + " to "
                    + (k.highestChangedBit() - 1) + ") over " + k.runs() + " runs; vm.mmap_rnd_bits " + want;
            if (k.changedBits() == want) {
                return Finding.holds(observed);
            }
            if (k.changedBits() < want && k.runs() < 64) {
                return Finding.holdsWithNuance(observed, "too few runs to see every bit change (a random bit stays the"
                        + " same over n runs with probability 2^-(n-1))");
            }
            return Finding.differs(observed);
        });
    }

    /** x86-64's brk randomisation range: 32 MiB (2^13 pages) on older kernels, 1 GiB (2^18 pages) on newer ones. */
    static final long BRK_RANGE_OLD = 32L << 20;
    static final long BRK_RANGE_NEW = 1L << 30;

    static Expectation<AslrReport> brkRange() {
        return new Expectation<>(Claim.of("the brk heap starts a random distance above the program: within 32 MiB"
                + " (13 bits of pages) on older kernels, 1 GiB (18 bits) on newer ones"), r -> {
                    AslrStats.KindStats k = r.kind(AslrRunner.HEAP_OFFSET);
                    if (k == null) {
                        return Finding.cannotCheck("no run showed both the program and start_brk");
                    }
                    Long rva = r.settings().randomizeVaSpace();
                    long span = k.max() - k.min();
                    String observed = "the heap's distance from the program spans " + dev.inspector.core.model.ByteSize
                            .of(span) + " over " + k.runs() + " runs (" + k.changedBits() + " bits changed, from bit "
                            + k.lowFixedBits() + "); randomize_va_space " + rva;
                    if (rva != null && rva < 2) {
                        return Finding.holdsIf(k.distinct() == 1, observed);
                    }
                    if (k.runs() < 2) {
                        return Finding.cannotCheck("one run shows no range; use --runs 2 or more");
                    }
                    if (Long.compareUnsigned(span, BRK_RANGE_OLD) < 0) {
                        return Finding.holdsWithNuance(observed, "within the 32 MiB range of older kernels");
                    }
                    if (Long.compareUnsigned(span, BRK_RANGE_NEW) < 0) {
                        return Finding.holdsWithNuance(observed, "beyond 32 MiB: this kernel randomises brk over the"
                                + " 1 GiB range of newer kernels (18 bits, where paxtest's stock figure is 13)");
                    }
                    return Finding.differs(observed, "wider than either range");
                });
    }

    static Expectation<AslrReport> nothingMoves() {
        return new Expectation<>(Claim.of("with ADDR_NO_RANDOMIZE in its persona, a process gets the same addresses"
                + " in every run"), r -> {
                    List<String> moved = new ArrayList<>();
                    for (AslrStats.KindStats k : r.kinds()) {
                        if (k.distinct() > 1) {
                            moved.add(k.kind() + " (" + k.distinct() + " values)");
                        }
                    }
                    long flagged = r.runs().stream().filter(s -> s.personality() >= 0
                            && (s.personality() & 0x0040000L) != 0).count();
                    String observed = r.kinds().size() + " region kinds over " + r.runs().size() + " runs: "
                            + (moved.isEmpty() ? "none moved" : "moved: " + String.join(", ", moved))
                            + "; ADDR_NO_RANDOMIZE in /proc/PID/personality of " + flagged + " of " + r.runs().size()
                            + " runs";
                    return Finding.holdsIf(moved.isEmpty() && flagged == r.runs().size(), observed);
                });
    }
}
