package dev.inspector.cli.bench;

import dev.inspector.core.testing.Live;
import dev.inspector.cli.Main;
import dev.inspector.core.demo.ProgramRun;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@LiveTest
class BenchPagesCommandTest {

    /** A line as pagemap_pread_ref printed it here. */
    private static final String REF_LINE =
            "pages=2359882 present=393563 swapped=0 file=323 zero=0 huge=-1 vmas=24 elapsed_ns=79141551";

    record Run(int code, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(dev.inspector.core.testing.Live.host(), new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void referenceLinesParse() {
        Map<String, String> f = new ProgramRun(List.of("pagemap_pread_ref"), 0, REF_LINE + "\n", "", 1).fields();
        BenchPagesCommand.PageCounts c = BenchPagesCommand.PageCounts.parse(f);
        assertEquals(new BenchPagesCommand.PageCounts(2359882, 393563, 0, 0, 323), c);
        assertEquals(79141551L, BenchPagesCommand.PageCounts.elapsedNs(f));
    }

    @Test
    void unknownCountsAreNoDifferenceButRealOnesAre() {
        BenchPagesCommand.PageCounts a = new BenchPagesCommand.PageCounts(100, 10, 0, 2, 3);
        BenchPagesCommand.PageCounts hidden = new BenchPagesCommand.PageCounts(100, 10, 0, -1, 3);
        assertEquals(List.of(), a.differences(hidden));
        assertEquals(List.of("present 10 vs 11", "file 3 vs 4"),
                a.differences(new BenchPagesCommand.PageCounts(100, 11, 0, 2, 4)));
    }

    @Test
    void consistencyCatchesReadersThatDisagreeAndRoundsThatDrift() {
        String[] names = {"A", "B", "C"};
        BenchPagesCommand.PageCounts x = new BenchPagesCommand.PageCounts(100, 10, 0, 0, 3);
        BenchPagesCommand.Consistency ok = new BenchPagesCommand.Consistency(3);
        for (int round = 0; round < 3; round++) {
            for (int r = 0; r < 3; r++) {
                ok.record(r, x);
            }
        }
        assertEquals(List.of(), ok.problems(names));

        BenchPagesCommand.Consistency bad = new BenchPagesCommand.Consistency(3);
        bad.record(0, x);
        bad.record(1, new BenchPagesCommand.PageCounts(100, 9, 0, 0, 3));
        bad.record(2, x);
        bad.record(2, new BenchPagesCommand.PageCounts(101, 10, 0, 0, 3));
        List<String> p = bad.problems(names);
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("A vs B: present 10 vs 9"), p.get(0));
        assertTrue(p.get(1).startsWith("C call 2 counted"), p.get(1));
    }

    @Test
    void goalsAreJudgedOnTheirBounds() {
        // Java scan 30 vs C 20 (1.5: met exactly), Java pread 61 vs C 40 (1.525: missed), pread/scan 61/30 (met)
        List<BenchPagesCommand.Goal> g = BenchPagesCommand.goals(30, 61, 20, 40);
        assertTrue(g.get(0).met());
        assertFalse(g.get(1).met());
        assertTrue(g.get(2).met());
        assertTrue(g.get(1).line(1.4).contains("NO"), g.get(1).line(1.4));
        assertTrue(g.get(3).line(2.0).contains("(information)"));
        assertFalse(BenchPagesCommand.goals(30, 59, 20, 40).get(2).met(), "59/30 is under 2");
        assertTrue(Double.isNaN(BenchPagesCommand.ratio(1, 0)));
    }

    /** A small target, two rounds: the four readers must count the same pages, and those the sample wrote. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void smallRunCountsTheSamePagesEverywhere() {
        assumeTrue(Live.features().pagemapScan().available(), Live.features().pagemapScan().reason());
        Run r = cli("bench", "pages", "--sparse-mib", "32", "--dense-mib", "8", "--rounds", "2", "--warmup", "1");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("counts: identical in all four readers, in every round"), r.out());
        Matcher touched = Pattern.compile("sparse \\S+ \\((\\d+) pages written\\), dense \\S+ \\((\\d+) pages")
                .matcher(r.out());
        assertTrue(touched.find(), r.out());
        assertEquals(32 * 256 / 16, Long.parseLong(touched.group(1)));
        assertEquals(8 * 256, Long.parseLong(touched.group(2)));
        List<String> rows = r.out().lines().filter(l -> l.matches("  (Java|C) \\S+( \\S+)?\\s+\\d+ .*"))
                .collect(Collectors.toList());
        assertEquals(4, rows.size(), r.out());
        // Columns: pages, present, swapped, zero, file. The pread readers can tell a zero page only by its PFN, which
        // the kernel shows to CAP_SYS_ADMIN alone: without it they must say "cannot know" (-1), and the scan readers
        // (PAGEMAP_SCAN's PFNZERO category) still count. Every other figure is the same for every reader.
        boolean pfnsVisible = dev.inspector.core.testing.Live.features().pfnsVisible().available();
        long[][] counts = new long[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            String[] f = rows.get(i).trim().split("\\s+");
            counts[i] = new long[5];
            for (int c = 0; c < 5; c++) {
                counts[i][c] = Long.parseLong(f[f.length - 5 + c]);
            }
            assertTrue(counts[i][1] >= 32 * 256 / 16 + 8 * 256, rows.get(i));
        }
        int zero = 3;
        for (int i = 0; i < rows.size(); i++) {
            boolean pread = rows.get(i).contains("pread");
            for (int c = 0; c < 5; c++) {
                if (c == zero && pread && !pfnsVisible) {
                    // Without PFNs a zero page cannot be told by its frame: the C reference says "cannot know" (-1).
                    // The inspector's probe knows when the kernel maps no zero page at all, and then counts none.
                    long expected = rows.get(i).contains("Java") && !dev.inspector.core.testing.ZeroPage.shared()
                            ? 0 : -1;
                    assertEquals(expected, counts[i][c], "a pread reader without PFNs: " + rows.get(i));
                } else {
                    assertTrue(counts[i][c] >= 0, rows.get(i));
                    assertEquals(counts[0][c], counts[i][c], "column " + c + " of " + rows);
                }
            }
        }
        assertTrue(r.out().matches("(?s).*Java pread / Java scan\\s+\\d+\\.\\d\\d\\s+\\d+\\.\\d\\d\\s+>= 2\\.00.*"),
                r.out());
        assertTrue(r.out().contains("memory: inspector peak RSS (VmHWM)"), r.out());
    }

    @Test
    void badOptionsAreUsageErrors() {
        Run r = cli("bench", "pages", "--rounds", "0");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--rounds must be at least 1"), r.err());
        Run s = cli("bench", "pages", "--samples", "/nonexistent/dir");
        assertEquals(2, s.code(), s.err());
        assertTrue(s.err().contains("no executable 'sparse_big' in /nonexistent/dir"), s.err());
    }
}
