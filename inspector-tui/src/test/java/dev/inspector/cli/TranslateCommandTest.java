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

import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code inspector translate} on real addresses of sparse_big and of a sleep owned by nobody. */
@EnabledOnOs(OS.LINUX)
@LiveTest
class TranslateCommandTest {

    private static String field(String out, String label) {
        return out.lines().filter(l -> l.startsWith(label + " ")).findFirst()
                .map(l -> l.substring(12).trim()).orElseThrow(() -> new AssertionError("no '" + label + "' in\n" + out));
    }

    @Test
    void walksRealAddressesToTheirFrameOrSaysWhyThereIsNone() throws Exception {
        KernelFeatures f = Live.features();
        try (SampleProgram s = Samples.start("sparse_big", "64", "16", "8")) {
            SampleStep ready = s.awaitStep("ready");
            String pid = Integer.toString(s.pid());
            long ps = Long.parseLong(ready.value("page_size"));
            SampleStep.Range dense = ready.range("dense");
            long addr = dense.lo() + 3 * ps + 0x5a8;

            Cli.Result d = Cli.run("translate", pid, Long.toHexString(addr), "--color=never");
            assertEquals(0, d.code(), d.err());
            assertTrue(field(d.out(), "address").startsWith("0x" + Long.toHexString(addr)), d.out());
            assertTrue(field(d.out(), "in mapping").contains("offset 0x5a8 in the page"), d.out());
            assertTrue(field(d.out(), "pagemap").contains("present"), d.out());
            if (f.pfnsVisible().available() && f.kpageflags().available()) {
                String frame = field(d.out(), "frame");
                assertTrue(frame.startsWith("PFN 0x"), frame);
                long pfn = Long.parseLong(frame.substring(6, frame.indexOf(' ', 6)), 16);
                String physText = frame.substring(frame.indexOf("physical address 0x") + 19);
                long phys = Long.parseLong(physText.substring(0, physText.indexOf(' ')), 16);
                assertEquals(pfn * ps + 0x5a8, phys);
                assertTrue((" " + field(d.out(), "kpageflags") + " ").contains(" ANON "), d.out());
                assertEquals("1 (mapped once)", field(d.out(), "kpagecount"));
                String ram = field(d.out(), "RAM");
                assertTrue(ram.startsWith("System RAM 0x"), ram);
                String[] bounds = ram.substring("System RAM ".length(), ram.indexOf(' ', 11)).split("-");
                long lo = Long.parseUnsignedLong(bounds[0].substring(2), 16);
                long hi = Long.parseUnsignedLong(bounds[1].substring(2), 16);
                assertTrue(phys >= lo && phys <= hi, ram + " vs 0x" + Long.toHexString(phys));
                assertTrue(field(d.out(), "result").startsWith("frame: "), d.out());
            }

            SampleStep.Range sparse = ready.range("sparse");
            Cli.Result u = Cli.run("translate", pid, "0x" + Long.toHexString(sparse.lo() + 5 * ps), "--color=never");
            assertEquals(0, u.code(), u.err());
            assertTrue(field(u.out(), "result").startsWith("never touched: no page-table entry"), u.out());
            assertFalse(u.out().contains("PFN"), u.out());

            SampleStep.Range zero = ready.range("zero");
            Cli.Result z = Cli.run("translate", pid, "0x" + Long.toHexString(zero.lo() + 9 * ps), "--color=never");
            assertEquals(0, z.code(), z.err());
            // a read page maps the shared zero page, or (on a kernel without one) a frame of its own
            String expected = !ZeroPage.shared() ? (Live.features().pfnsVisible().available() ? "frame: "
                    : "pfn hidden") : "zero page: reads the shared zero page; a write will fault in a private page";
            assertTrue(field(z.out(), "result").startsWith(expected), z.out());

            // A gap between two maps lines: the end of a mapping that the next one does not start at.
            List<String> maps = Samples.readProcFile(Paths.get("/proc", pid, "maps")).lines()
                    .collect(Collectors.toList());
            int gapAfter = -1;
            for (int i = 0; i + 1 < maps.size(); i++) {
                if (!end(maps.get(i)).equals(start(maps.get(i + 1)))) {
                    gapAfter = i;
                    break;
                }
            }
            assertTrue(gapAfter >= 0, "a process has gaps between mappings");
            Cli.Result g = Cli.run("translate", pid, end(maps.get(gapAfter)), "--color=never");
            assertEquals(0, g.code(), g.err());
            String res = field(g.out(), "result");
            assertTrue(res.startsWith("not mapped: "), res);
            assertTrue(res.contains("after mapping " + (gapAfter + 1) + " (" + start(maps.get(gapAfter)) + "-"), res);
            assertTrue(res.contains("before mapping " + (gapAfter + 2) + " (" + start(maps.get(gapAfter + 1)) + "-"),
                    res);

            JsonNode j = new ObjectMapper().readTree(Cli.run("translate", pid, Long.toHexString(addr), "--json").out());
            assertEquals(f.pfnsVisible().available() ? "FRAME" : "PFN_HIDDEN", j.get("outcome").asText());
            assertEquals(0x5a8, j.get("pageOffset").asInt());
        }
    }

    private static String start(String mapsLine) {
        return mapsLine.substring(0, mapsLine.indexOf('-'));
    }

    private static String end(String mapsLine) {
        return mapsLine.substring(mapsLine.indexOf('-') + 1, mapsLine.indexOf(' '));
    }

    @Test
    void badAddressesAreUsageErrorsAndSpecialAddressesAreExplained() {
        for (String bad : new String[] {"0xzz", "", "0x", "12345678901234567"}) {
            Cli.Result r = Cli.run("translate", "self", bad);
            assertEquals(ExitCodes.USAGE, r.code(), bad + ": " + r.err());
            assertTrue(r.err().startsWith("inspector: ADDR"), r.err());
        }
        Cli.Result nc = Cli.run("translate", "self", "0x800000000000", "--color=never");
        assertEquals(0, nc.code(), nc.err());
        if (nc.out().contains("4-level paging")) {
            assertTrue(field(nc.out(), "result").startsWith("non canonical: bits 63..47 must all equal bit 47"),
                    nc.out());
        }
        Cli.Result k = Cli.run("translate", "self", "ffffffffff600000", "--color=never");
        assertTrue(field(k.out(), "result").startsWith("kernel half: "), k.out());
    }

    @Test
    void unprivilegedUsersAreToldPfnsAreHiddenNotShownZeros() throws Exception {
        assumeTrue(Nobody.available(), Nobody::whyNot);
        try (Nobody.Target sleep = Nobody.sleep()) {
            String pid = Long.toString(sleep.pid());
            // The top page of the stack holds the environment strings: always present.
            String stack = Samples.readProcFile(Paths.get("/proc", pid, "maps")).lines()
                    .filter(l -> l.endsWith("[stack]")).findFirst().orElseThrow();
            long top = Long.parseUnsignedLong(end(stack), 16) - 16;
            Nobody.Run r = Nobody.cli("translate", pid, Long.toHexString(top), "--color=never");
            assertEquals(0, r.code(), r.toString());
            assertEquals(PagesView.PFNS_HIDDEN, field(r.out(), "frame"), r.toString());
            assertTrue(field(r.out(), "result").startsWith("pfn hidden: "), r.toString());
            assertFalse(r.out().contains("PFN 0x"), r.toString());
            assertFalse(r.out().contains("-> physical address"), r.toString());
            assertFalse(r.out().lines().anyMatch(l -> l.startsWith("kpageflags")), r.toString());
        }
    }
}
