package dev.inspector.core.export;

import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.demo.SampleStep;
import dev.inspector.core.export.ProcessExporter.Names;
import dev.inspector.core.testing.Live;
import dev.inspector.core.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exporter's collection on real processes: per-kind series of a stopped sample against its maps and smaps text
 * and the kernel's rollup, the choice of processes, the series cap, the cache, residency.
 */
@LiveTest
@EnabledOnOs(OS.LINUX)
class ProcessExporterLiveTest {

    private static ExportOptions pids(int... pids) {
        Set<Integer> s = new java.util.HashSet<>();
        for (int p : pids) {
            s.add(p);
        }
        return new ExportOptions(s, null, null, Duration.ZERO, ExportOptions.Breakdown.AUTO, false,
                ExportOptions.DEFAULT_MAX_SERIES);
    }

    @Test
    void aChosenProcessGetsPerKindSeriesThatAgreeWithItsMapsAndTheRollup() throws Exception {
        try (SampleProgram s = Samples.start("typical", "3")) {
            SampleStep ready = s.awaitStep("ready");
            String pid = Integer.toString(s.pid());
            Collection c = new ProcessExporter(Live.host(), pids(s.pid())).collect();

            assertEquals(1, c.health().exported());
            assertEquals(1, c.health().brokenDown());
            assertNull(c.warning());
            MetricFamily info = c.family(Names.PROCESS_INFO);
            assertEquals(List.of(pid, "typical", System.getProperty("user.name")), info.samples().get(0).labelValues());

            // [heap] and the three thread stacks, from the maps text read here
            Path dir = Paths.get("/proc", pid);
            List<String> maps = Files.readAllLines(dir.resolve("maps"));
            long heapSize = 0;
            for (String l : maps) {
                if (l.endsWith("[heap]")) {
                    heapSize += size(l);
                }
            }
            assertTrue(heapSize > 0);
            assertEquals(heapSize, value(c, Names.REGION_SIZE, pid, "typical", "heap"));
            assertEquals(ready.number("threads"), value(c, Names.REGION_MAPPINGS, pid, "typical", "thread-stack"));
            assertEquals(1, value(c, Names.REGION_MAPPINGS, pid, "typical", "stack"));
            assertEquals(maps.size(), value(c, Names.PROCESS_MAPPINGS, pid, "typical"));

            // per-kind figures sum to the kernel's own totals (the process is stopped)
            Map<String, Long> rollup = kib(Samples.readProcFile(dir.resolve("smaps_rollup")));
            assertEquals(rollup.get("Rss") * 1024, sum(c, Names.REGION_RSS));
            assertEquals(rollup.get("Rss") * 1024, value(c, Names.PROCESS_RSS, pid, "typical"));
            assertEquals(rollup.get("Swap") * 1024, sum(c, Names.REGION_SWAP));
            assertEquals(sum(c, Names.REGION_RSS), sum(c, Names.REGION_PRIVATE) + sum(c, Names.REGION_SHARED));
            long mapped = 0;
            for (String l : maps) {
                mapped += size(l);
            }
            assertEquals(mapped, sum(c, Names.REGION_SIZE));
            assertEquals(maps.size(), sum(c, Names.REGION_MAPPINGS));

            // faults and threads from stat, read here
            String stat = Samples.readProcFile(dir.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            assertEquals(Long.parseLong(f[10 - 3]), value(c, Names.PROCESS_MINOR_FAULTS, pid, "typical"));
            assertEquals(Long.parseLong(f[12 - 3]), value(c, Names.PROCESS_MAJOR_FAULTS, pid, "typical"));
            assertEquals(ready.number("threads") + 1, value(c, Names.PROCESS_THREADS, pid, "typical"));

            // the series the health says it exported are the per-process samples present
            int kinds = c.family(Names.REGION_SIZE).samples().size();
            assertEquals(ProcessExporter.TOTAL_SERIES + kinds * ProcessExporter.KIND_SERIES, c.health().series());
            assertEquals(c.health().series(), perProcessSamples(c));
            assertEquals(c.health().series(), (long) value(c, Names.EXPORTER_SERIES));
            assertEquals(0, c.health().skipped(SkipReason.VANISHED));
        }
    }

    @Test
    void residencyCoversEveryPageOfAKindAndPresentMatchesRss() throws Exception {
        try (SampleProgram s = Samples.start("typical", "2")) {
            s.awaitStep("ready");
            String pid = Integer.toString(s.pid());
            ExportOptions o = new ExportOptions(Set.of(s.pid()), null, null, Duration.ZERO,
                    ExportOptions.Breakdown.AUTO, true, ExportOptions.DEFAULT_MAX_SERIES);
            Collection c = new ProcessExporter(Live.host(), o).collect();
            MetricFamily res = c.family(Names.REGION_RESIDENCY);
            assertNotNull(res);
            for (String kind : List.of("heap", "stack", "thread-stack", "text")) {
                long present = (long) res.sample(pid, "typical", kind, "present").value();
                long swapped = (long) res.sample(pid, "typical", kind, "swapped").value();
                long untouched = (long) res.sample(pid, "typical", kind, "untouched").value();
                assertEquals(value(c, Names.REGION_SIZE, pid, "typical", kind), present + swapped + untouched, kind);
                // anonymous private memory of a stopped process: present pages are its resident set
                if (!kind.equals("text")) {
                    assertEquals(value(c, Names.REGION_RSS, pid, "typical", kind), present, kind);
                }
            }
            assertEquals(c.health().series(), perProcessSamples(c));
        }
    }

    @Test
    void matchUserAndPidChooseProcesses() throws Exception {
        try (SampleProgram a = Samples.start("typical", "1")) {
            a.awaitStep("ready");
            String pid = Integer.toString(a.pid());
            // --match on comm
            ExportOptions byComm = new ExportOptions(Set.of(), Pattern.compile("^typ"), null, Duration.ZERO,
                    ExportOptions.Breakdown.NEVER, false, ExportOptions.DEFAULT_MAX_SERIES);
            Collection c = new ProcessExporter(Live.host(), byComm).collect();
            assertNotNull(c.family(Names.PROCESS_RSS).sample(pid, "typical"), c.families().toString());
            assertTrue(c.family(Names.REGION_SIZE).samples().isEmpty(), "NEVER: no per-kind series");
            // --match on the command line: the argument "1" after the binary's path
            ExportOptions byCmdline = new ExportOptions(Set.of(), Pattern.compile("/typical 1$"), null,
                    Duration.ZERO, ExportOptions.Breakdown.AUTO, false, ExportOptions.DEFAULT_MAX_SERIES);
            c = new ProcessExporter(Live.host(), byCmdline).collect();
            assertEquals(1, c.health().exported(), c.families().toString());
            assertEquals(1, c.health().brokenDown());
            // --user keeps only that uid: the sample is ours, so another user's filter leaves it out
            int ours = (Integer) Files.getAttribute(Paths.get("/proc", pid), "unix:uid");
            ExportOptions other = new ExportOptions(Set.of(a.pid()), null, ours == 0 ? 65534 : 0, Duration.ZERO,
                    ExportOptions.Breakdown.AUTO, false, ExportOptions.DEFAULT_MAX_SERIES);
            assertEquals(0, new ProcessExporter(Live.host(), other).collect().health().exported());
            ExportOptions mine = new ExportOptions(Set.of(a.pid()), null, ours, Duration.ZERO,
                    ExportOptions.Breakdown.AUTO, false, ExportOptions.DEFAULT_MAX_SERIES);
            assertEquals(1, new ProcessExporter(Live.host(), mine).collect().health().exported());
            // a --pid that is gone is counted as vanished
            int gone = unusedPid();
            Collection g = new ProcessExporter(Live.host(), pids(a.pid(), gone)).collect();
            assertEquals(1, g.health().exported());
            assertEquals(1, g.health().skipped(SkipReason.VANISHED));
            assertEquals(1.0, g.family(Names.EXPORTER_SKIPPED).sample("vanished").value());
        }
    }

    @Test
    void everyProcessGetsTotalsOnlyAndKernelThreadsAreCounted() {
        Collection c = new ProcessExporter(Live.host(), ExportOptions.allProcesses()).collect();
        String self = Long.toString(ProcessHandle.current().pid());
        MetricFamily rss = c.family(Names.PROCESS_RSS);
        assertTrue(rss.samples().stream().anyMatch(x -> x.labelValues().get(0).equals(self)));
        assertTrue(c.family(Names.REGION_RSS).samples().isEmpty());
        assertEquals(0, c.health().brokenDown());
        assertEquals(ProcessExporter.TOTAL_SERIES * c.health().exported(), c.health().series());
        if (Files.exists(Paths.get("/proc/2"))) {
            assertTrue(c.health().skipped(SkipReason.KERNEL_THREAD) > 0, c.health().toString());
        }
    }

    @Test
    void theCapKeepsTotalsBeforeKindsAndSaysSo() throws Exception {
        try (SampleProgram s = Samples.start("typical", "1")) {
            s.awaitStep("ready");
            String pid = Integer.toString(s.pid());
            // room for the totals only: the breakdown is dropped, with a warning and a health series
            ExportOptions o = new ExportOptions(Set.of(s.pid()), null, null, Duration.ZERO,
                    ExportOptions.Breakdown.AUTO, false, ProcessExporter.TOTAL_SERIES);
            Collection c = new ProcessExporter(Live.host(), o).collect();
            assertEquals(1, c.health().exported());
            assertEquals(0, c.health().brokenDown());
            assertEquals(1, c.health().capped());
            assertTrue(c.family(Names.REGION_SIZE).samples().isEmpty());
            assertNotNull(c.family(Names.PROCESS_RSS).sample(pid, "typical"));
            assertNotNull(c.warning());
            assertTrue(c.warning().contains("--max-series") && c.warning().contains("1 only totals"),
                    c.warning());
            assertEquals(c.health().series(), perProcessSamples(c));
            // no room at all: skipped for the cap
            ExportOptions none = new ExportOptions(Set.of(s.pid()), null, null, Duration.ZERO,
                    ExportOptions.Breakdown.AUTO, false, ProcessExporter.TOTAL_SERIES - 1);
            Collection n = new ProcessExporter(Live.host(), none).collect();
            assertEquals(0, n.health().exported());
            assertEquals(1, n.health().skipped(SkipReason.SERIES_CAP));
            assertEquals(0, perProcessSamples(n));
        }
    }

    @Test
    void scrapesWithinTheIntervalShareOneCollection() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        ExportOptions o = new ExportOptions(Set.of((int) ProcessHandle.current().pid()), null, null,
                Duration.ofSeconds(15), ExportOptions.Breakdown.NEVER, false, ExportOptions.DEFAULT_MAX_SERIES);
        ProcessExporter e = new ProcessExporter(Live.host(), o, now::get);
        Collection first = e.collect();
        assertFalse(first.cached());
        now.addAndGet(Duration.ofSeconds(14).toNanos());
        Collection second = e.collect();
        assertTrue(second.cached());
        assertSame(first.families(), second.families());
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        Collection third = e.collect();
        assertFalse(third.cached());
        assertEquals(2.0, third.family(Names.EXPORTER_COLLECTIONS).samples().get(0).value());
    }

    private static int unusedPid() {
        for (int p = 4194303; p > 1; p--) {
            if (!Files.exists(Paths.get("/proc", Integer.toString(p)))) {
                return p;
            }
        }
        throw new AssertionError("every pid is in use");
    }

    private static long size(String mapsLine) {
        String[] range = mapsLine.substring(0, mapsLine.indexOf(' ')).split("-");
        return Long.parseUnsignedLong(range[1], 16) - Long.parseUnsignedLong(range[0], 16);
    }

    private static long value(Collection c, String family, String... labels) {
        MetricFamily f = c.family(family);
        assertNotNull(f, family);
        MetricFamily.Sample s = f.sample(labels);
        assertNotNull(s, family + List.of(labels) + " in " + f.samples());
        return (long) s.value();
    }

    private static long sum(Collection c, String family) {
        long n = 0;
        for (MetricFamily.Sample s : c.family(family).samples()) {
            n += (long) s.value();
        }
        return n;
    }

    private static int perProcessSamples(Collection c) {
        int n = 0;
        for (MetricFamily f : c.families()) {
            if (!f.name().startsWith("inspector_exporter_")) {
                n += f.samples().size();
            }
        }
        return n;
    }

    private static Map<String, Long> kib(String text) {
        Map<String, Long> m = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length == 3 && w[0].endsWith(":") && w[2].equals("kB")) {
                m.put(w[0].substring(0, w[0].length() - 1), Long.parseLong(w[1]));
            }
        }
        return m;
    }
}
