package dev.inspector.cli;

import dev.inspector.core.testing.Live;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.demo.SampleStep;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.Samples;
import dev.inspector.present.PagesView;
import dev.inspector.core.testing.ZeroPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code inspector pages} on sparse_big (64 MiB sparse, 16 MiB dense, 8 MiB zero-page), stopped at ready. */
@EnabledOnOs(OS.LINUX)
@LiveTest
class PagesCommandTest {

    private static final String[] HEAD = {"N", "START", "SIZE", "KIND", "PAGES", "PRESENT", "SWAPPED", "UNTOUCHED",
        "ZERO", "HUGE", "FILE", "EXCL"};

    /** The columns of the table rows (N..EXCL) of a text output, totals row excluded. */
    private static List<String[]> rows(String out) {
        return out.lines().filter(l -> l.matches("\\s*\\d+\\s+[0-9a-f]{12,16}\\s.*"))
                .map(l -> l.trim().split("\\s+")).collect(Collectors.toList());
    }

    private static String[] totals(String out) {
        String t = out.lines().filter(l -> l.trim().startsWith("total ")).findFirst().orElseThrow();
        return ("- " + t.trim()).replaceFirst("total\\s+\\S+", "total X -").split("\\s+");
    }

    private static int col(String name) {
        return List.of(HEAD).indexOf(name);
    }

    @Test
    void sparseRangeReportsExactlyTheTouchedPagesAndTheZeroRangeItsZeroPages() throws Exception {
        try (SampleProgram s = Samples.start("sparse_big", "64", "16", "8")) {
            SampleStep ready = s.awaitStep("ready");
            long touched = Long.parseLong(ready.value("sparse_touched"));
            long ps = Long.parseLong(ready.value("page_size"));
            SampleStep.Range sparse = ready.range("sparse");
            String pid = Integer.toString(s.pid());

            Cli.Result r = Cli.run("pages", pid, "--range", sparse.toArg(), "--color=never");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("scan path: ")), r.out());
            String[] t = totals(r.out());
            assertEquals(sparse.size() / ps, Long.parseLong(t[col("PAGES")]), r.out());
            assertEquals(touched, Long.parseLong(t[col("PRESENT")]), r.out());
            assertEquals(sparse.size() / ps - touched, Long.parseLong(t[col("UNTOUCHED")]), r.out());
            assertEquals("0", t[col("SWAPPED")]);
            // rows are clipped to the range and numbered by their line in maps
            List<String> mapsLines = Samples.readProcFile(java.nio.file.Paths.get("/proc", pid, "maps")).lines()
                    .collect(Collectors.toList());
            for (String[] row : rows(r.out())) {
                int n = Integer.parseInt(row[0]);
                long start = Long.parseUnsignedLong(row[1], 16);
                String line = mapsLines.get(n - 1);
                long lo = Long.parseUnsignedLong(line.substring(0, line.indexOf('-')), 16);
                long hi = Long.parseUnsignedLong(line.substring(line.indexOf('-') + 1, line.indexOf(' ')), 16);
                assertTrue(start >= lo && start < hi && start >= sparse.lo(), line);
            }

            SampleStep.Range zero = ready.range("zero");
            Cli.Result z = Cli.run("pages", pid, "--range", zero.toArg(), "--color=never");
            assertEquals(0, z.code(), z.err());
            String[] zt = totals(z.out());
            assertEquals(ZeroPage.expected(Long.parseLong(ready.value("zero_read"))), Long.parseLong(zt[col("ZERO")]),
                    z.out());
            assertEquals(zt[col("PAGES")], zt[col("PRESENT")], "every zero-range page is present (read)");

            // The default path is PAGEMAP_SCAN here: exclusive is '?', with the line saying how to get it.
            if (Live.features().pagemapScan().available()) {
                assertEquals("?", t[col("EXCL")]);
                assertTrue(r.out().contains("EXCL is '?'") && r.out().contains("--path pagemap"), r.out());
                Cli.Result p = Cli.run("pages", pid, "--range", sparse.toArg(), "--path", "pagemap",
                        "--color=never");
                assertEquals(0, p.code(), p.err());
                String[] pt = totals(p.out());
                assertEquals(touched, Long.parseLong(pt[col("EXCL")]), "private written pages are exclusive");
                assertEquals("?", pt[col("HUGE")]);
                assertTrue(p.out().contains("HUGE is '?'"), p.out());
            }
        }
    }

    @Test
    void heatMapJsonAndFramesAsRoot() throws Exception {
        try (SampleProgram s = Samples.start("sparse_big", "64", "16", "8")) {
            SampleStep ready = s.awaitStep("ready");
            String pid = Integer.toString(s.pid());
            SampleStep.Range sparse = ready.range("sparse");
            SampleStep.Range dense = ready.range("dense");

            // 16384 pages in 32 cells of 512 pages, each with 32 written: 1/16 present, the '.' cell.
            Cli.Result h = Cli.run("pages", pid, "--range", sparse.toArg(), "--heat", "32", "--ascii",
                    "--color=never");
            assertEquals(0, h.code(), h.err());
            assertTrue(h.out().contains("|" + ".".repeat(32) + "|"), h.out());
            assertTrue(h.out().contains("heat map of present pages:"), h.out());
            Cli.Result hd = Cli.run("pages", pid, "--range", dense.toArg(), "--heat", "8", "--color=never");
            assertTrue(hd.out().contains("|" + "\u2588".repeat(8) + "|"), hd.out());

            Cli.Result j = Cli.run("pages", pid, "--range", sparse.toArg(), "--json");
            assertEquals(0, j.code(), j.err());
            JsonNode doc = new ObjectMapper().readTree(j.out());
            assertEquals(s.pid(), doc.get("pid").asInt());
            assertFalse(doc.get("reason").asText().isEmpty());
            long present = 0;
            for (JsonNode m : doc.get("mappings")) {
                present += m.get("residency").get("present").asLong();
                if (doc.get("path").asText().equals("PAGEMAP_SCAN")) {
                    assertTrue(m.get("residency").get("exclusive").isNull(), "unknown is null, never 0");
                }
            }
            assertEquals(Long.parseLong(ready.value("sparse_touched")), present);

            KernelFeatures f = Live.features();
            assumeTrue(f.pfnsVisible().available() && f.kpageflags().available(), "frames need root");
            Cli.Result p = Cli.run("pages", pid, "--range", dense.toArg(), "--pfn", "--color=never");
            assertEquals(0, p.code(), p.err());
            assertTrue(p.out().contains("frames (pagemap PFNs"), p.out());
            String flags = p.out().lines().filter(l -> l.startsWith("kpageflags over all shown frames:"))
                    .findFirst().orElseThrow();
            assertTrue(flags.contains(" ANON=" + ready.value("dense_touched")), flags);
            JsonNode pj = new ObjectMapper().readTree(Cli.run("pages", pid, "--range", dense.toArg(), "--pfn",
                    "--json").out());
            assertEquals("KNOWN", pj.get("pfns").get("state").asText());
            long anon = 0;
            long runs = 0;
            for (JsonNode m : pj.get("mappings")) {
                anon += m.get("kpages").get("flags").get("ANON").asLong();
                runs += m.get("physicalRuns").asLong();
            }
            assertEquals(Long.parseLong(ready.value("dense_touched")), anon);
            assertTrue(runs >= 1 && runs <= anon, "physical runs between 1 and one per page: " + runs);
        }
    }

    @Test
    void markWrittenIsRefusedWithoutSoftDirtyAndMarkAccessedClearsReferenced() throws Exception {
        KernelFeatures f = Live.features();
        try (SampleProgram s = Samples.start("sparse_big", "8", "4")) {
            SampleStep ready = s.awaitStep("ready");
            String pid = Integer.toString(s.pid());
            SampleStep.Range dense = ready.range("dense");
            if (!f.softDirty().available()) {
                Cli.Result w = Cli.run("pages", pid, "--mark-written");
                assertEquals(ExitCodes.UNSUPPORTED, w.code(), w.err());
                assertEquals(1, w.err().lines().count(), w.err());
                assertTrue(w.err().startsWith("inspector: soft-dirty is unavailable"), w.err());
                assertTrue(w.err().contains("nothing was written") && w.err().contains("--mark-accessed"), w.err());
                assertEquals("", w.out());
                assertEquals(ExitCodes.UNSUPPORTED, Cli.run("pages", pid, "--written").code());
            }
            Cli.Result before = Cli.run("pages", pid, "--range", dense.toArg(), "--accessed", "--color=never");
            assertEquals(0, before.code(), before.err());
            assertTrue(before.out().lines().anyMatch(l -> l.contains("REFERENCED")), before.out());
            String refBefore = referencedTotal(before.out());
            assertFalse(refBefore.equals("0"), "the dense pages were just written: " + before.out());
            assertTrue(refBefore.matches("\\d+"), "REFERENCED counts pages, like the columns beside it: " + refBefore);

            Cli.Result mark = Cli.run("pages", pid, "--mark-accessed");
            assertEquals(0, mark.code(), mark.err());
            assertTrue(mark.out().startsWith("marked: wrote 1 to /proc/" + pid + "/clear_refs"), mark.out());
            // The sample is stopped: nothing touched its pages since the mark.
            Cli.Result after = Cli.run("pages", pid, "--range", dense.toArg(), "--accessed", "--color=never");
            assertEquals("0", referencedTotal(after.out()), after.out());
        }
    }

    private static String referencedTotal(String out) {
        String[] t = out.lines().filter(l -> l.trim().startsWith("total ")).findFirst().orElseThrow().trim()
                .split("\\s+");
        return t[t.length - 1];
    }

    @Test
    void hiddenFramesAreSaidPlainlyToUnprivilegedUsers() throws Exception {
        assumeTrue(Nobody.available(), Nobody::whyNot);
        assumeTrue(Live.features().pagemapScan().available(), "the plain run uses PAGEMAP_SCAN");
        try (Nobody.Target sleep = Nobody.sleep()) {
            Nobody.Run r = Nobody.cli("pages", Long.toString(sleep.pid()), "--pfn", "--color=never");
            assertEquals(ExitCodes.UNSUPPORTED, r.code(), r.toString());
            assertTrue(r.out().contains(PagesView.PFNS_HIDDEN), r.toString());
            assertFalse(r.out().contains("frames (pagemap PFNs"), r.toString());
            // The zero page is unknown, not 0, without frames; unless this kernel maps none, which is seen anyway.
            assertEquals(ZeroPage.shared(), r.out().contains("ZERO is '?'"), r.toString());
            // the residency is still there
            String[] t = totals(r.out());
            assertTrue(Long.parseLong(t[col("PRESENT")]) > 0, r.toString());
            assertEquals(ZeroPage.shared() ? "?" : "0", t[col("ZERO")]);
            Nobody.Run plain = Nobody.cli("pages", Long.toString(sleep.pid()), "--color=never");
            assertEquals(0, plain.code(), plain.toString());
        }
    }

    @Test
    void usageErrors() {
        assertEquals(ExitCodes.USAGE, Cli.run("pages", "self", "--range", "zz-10").code());
        assertEquals(ExitCodes.USAGE, Cli.run("pages", "self", "--range", "2000-1000").code());
        assertEquals(ExitCodes.USAGE, Cli.run("pages", "self", "--mapping", "0").code());
        assertEquals(ExitCodes.USAGE, Cli.run("pages", "self", "--mapping", "1", "--range", "0-1000").code());
        assertEquals(ExitCodes.USAGE, Cli.run("pages", "self", "--path", "fast").code());
        assertEquals(ExitCodes.USAGE, Cli.run("pages", "self", "--heat", "0").code());
        String help = Cli.run("pages", "--help").out().replaceAll("\\s+", " ");
        assertEquals(2, help.split("CHANGES KERNEL STATE OF THE TARGET", -1).length - 1, help);
    }
}
