package dev.inspector.core.aslr;

import dev.inspector.core.claims.Check;
import dev.inspector.core.claims.Verdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The claims an ASLR report judges, on runs made up with known randomness: each verdict follows the values. */
class AslrReportTest {

    /** Runs whose mmap area moves by {@code mmapBits} and whose heap lies within {@code brkRange} above the program. */
    static List<AslrSample> runs(int n, int mmapBits, long brkRange, long seed) {
        Random rnd = new Random(seed);
        List<AslrSample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long program = 0x555555554000L + ((rnd.nextLong() & ((1L << 28) - 1)) << 12);
            long brk = brkRange == 0 ? 0 : (Math.floorMod(rnd.nextLong(), brkRange / 4096)) << 12;
            long loader = 0x7f0000000000L + (mmapBits == 0 ? 0 : (rnd.nextLong() & ((1L << mmapBits) - 1)) << 12);
            Map<String, Long> b = new LinkedHashMap<>();
            b.put(AslrRunner.PROGRAM, program);
            b.put(AslrRunner.HEAP, program + 0x5000 + brk);
            b.put(AslrRunner.HEAP_OFFSET, 0x5000 + brk);
            b.put(AslrRunner.STACK, 0x7ffc00000000L + ((rnd.nextLong() & ((1L << 22) - 1)) << 12));
            b.put(AslrRunner.LOADER, loader);
            b.put("lib:libc.so.6", loader - 0x1f5000);
            out.add(new AslrSample(1000 + i, 0, b, Map.of("lib:libc.so.6", 0x1d4000L)));
        }
        return out;
    }

    private static Check check(AslrReport r, String startsWith) {
        for (Check c : r.checks()) {
            if (c.claim().statement().startsWith(startsWith)) {
                return c;
            }
        }
        throw new AssertionError("no check '" + startsWith + "' in " + r.checks());
    }

    static AslrReport analyse(List<AslrSample> runs, long mmapRndBits) {
        return AslrReport.analyse(List.of("test"), true, false, runs, new AslrReport.Settings(2L, mmapRndBits, 8L,
                "test"), null);
    }

    @Test
    void theBrkRangeIsReadFromTheSpreadOfTheHeapsDistance() {
        assertEquals(Verdict.HOLDS_WITH_NUANCE, check(analyse(runs(200, 28, 1L << 30, 1), 28), "the brk heap").verdict());
        assertTrue(check(analyse(runs(200, 28, 1L << 30, 1), 28), "the brk heap").detail().contains("1 GiB"));
        assertTrue(check(analyse(runs(200, 28, 32L << 20, 2), 28), "the brk heap").detail().contains("32 MiB"));
        assertEquals(Verdict.DIFFERS, check(analyse(runs(200, 28, 4L << 30, 3), 28), "the brk heap").verdict());
    }

    @Test
    void theMmapBitsAreComparedWithTheSysctl() {
        assertEquals(Verdict.HOLDS, check(analyse(runs(200, 28, 1L << 30, 4), 28), "the mmap area").verdict());
        // a sysctl that says 30 while the runs show 28: with 200 runs that is no sampling accident
        assertEquals(Verdict.DIFFERS, check(analyse(runs(200, 28, 1L << 30, 4), 30), "the mmap area").verdict());
        assertEquals(Verdict.CANNOT_CHECK, check(AslrReport.analyse(List.of("t"), true, false, runs(20, 28,
                1L << 30, 5), new AslrReport.Settings(2L, null, null, "t"), null), "the mmap area").verdict());
    }

    @Test
    void aRegionThatDoesNotMoveMakesRandomisationDiffer() {
        assertEquals(Verdict.HOLDS, check(analyse(runs(50, 28, 1L << 30, 6), 28), "the stack").verdict());
        Check still = check(analyse(runs(50, 0, 1L << 30, 7), 28), "the stack");
        assertEquals(Verdict.DIFFERS, still.verdict());
        assertTrue(still.detail().contains("loader did not move"), still.detail());
    }

    @Test
    void theLibraryAndTheLoaderMoveTogether() {
        AslrReport r = analyse(runs(50, 28, 1L << 30, 8), 28);
        assertTrue(r.together().stream().anyMatch(g -> g.contains(AslrRunner.LOADER) && g.contains("lib:libc.so.6")),
                r.together().toString());
        assertTrue(r.pitfalls().isEmpty(), "libc is page-aligned here: " + r.pitfalls());
    }

    @Test
    void aLibraryOnTwoMiBBoundariesIsFlagged() {
        Random rnd = new Random(9);
        List<AslrSample> runs = new ArrayList<>();
        for (AslrSample a : runs(40, 28, 1L << 30, 10)) {
            Map<String, Long> b = new LinkedHashMap<>(a.bases());
            b.put("lib:big.so", 0x7e0000000000L + ((rnd.nextLong() & ((1L << 19) - 1)) << 21));
            runs.add(new AslrSample(a.pid(), 0, b, Map.of("lib:big.so", 3L << 20)));
        }
        AslrReport r = analyse(runs, 28);
        assertEquals(1, r.pitfalls().size(), r.pitfalls().toString());
        assertTrue(r.pitfalls().get(0).startsWith("big.so (3072 KiB) lies on a 2 MiB boundary in every run: its low 21"
                + " bits never change, 9 fewer random bits"), r.pitfalls().get(0));
    }
}
