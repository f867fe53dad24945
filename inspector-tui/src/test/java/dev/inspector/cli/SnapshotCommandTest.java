package dev.inspector.cli;

import dev.inspector.core.testing.Live;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.demo.SampleStep;
import dev.inspector.core.json.SnapshotJson;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.PageRun;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.model.ThreadInfo;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.model.KernelFeatures;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnabledOnOs(OS.LINUX)
@LiveTest
class SnapshotCommandTest {

    @TempDir
    Path tmp;

    /** The typical sample stopped at ready: the file holds what the kernel shows of it, and reads back. */
    @Test
    void snapshotOfTypicalHoldsHostProcessMappingsThreadsBasesAndKernelHalf() throws Exception {
        Path f = tmp.resolve("typical.json");
        try (SampleProgram s = Samples.start("typical", "3")) {
            SampleStep ready = s.awaitStep("ready");
            Cli.Result r = Cli.run("snapshot", Integer.toString(s.pid()), "-o", f.toString());
            assertEquals(0, r.code(), r.err());
            assertEquals("", r.out());
            List<Mapping> maps = ProcFs.system().maps(s.pid()); // stopped: nothing changed since
            assertEquals("inspector: wrote " + f + ": " + maps.size() + " mappings, 4 threads, ",
                    r.err().substring(0, r.err().indexOf("threads, ") + 9));
            assertEquals(1, r.err().lines().count(), r.err());

            Snapshot snap = SnapshotJson.read(f);
            assertEquals(maps, snap.regions().stream().map(Region::mapping).collect(Collectors.toList()));
            assertNotNull(snap.host().features(), "kernel features were probed");
            KernelFeatures kf = Live.features();
            assertEquals(kf.pagemapScan().available(), snap.host().features().pagemapScan());
            assertEquals(kf.procmapQuery().available(), snap.host().features().procmapQuery());
            assertEquals(s.pid(), snap.process().pid());
            assertEquals(4, snap.threads().size());
            for (int i = 0; i < 3; i++) {
                int tid = (int) ready.number("tid." + i);
                long local = ready.addr("thread_stack." + i);
                ThreadInfo t = snap.threads().stream().filter(x -> x.tid() == tid).findFirst().orElseThrow();
                Region stack = snap.regions().stream().filter(x -> x.mapping().contains(local)).findFirst().orElseThrow();
                assertEquals(RegionKind.THREAD_STACK, stack.kind());
                assertEquals(stack.mapping().start(), t.stackMappingStart(), "thread " + tid + " stopped in a syscall");
            }
            assertNotNull(snap.bases().exeBase());
            assertNotNull(snap.kernel());
            for (Region x : snap.regions()) {
                assertNotNull(x.smaps(), x.mapping().toMapsLine());
                if (x.mapping().start() >= 0) { // [vsyscall] lies in the kernel half: pagemap has no entry for it
                    assertNotNull(x.residency(), x.mapping().toMapsLine());
                    assertEquals(x.mapping().size() / snap.host().pageSize(), x.residency().pages());
                }
                assertNull(x.pages(), "no per-page runs without --pages");
            }
            assertNotNull(snap.rollup());
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(f), left.collect(Collectors.toList()), "no temporary file left beside the snapshot");
        }
    }

    @Test
    void toStandardOutputByDefaultWithoutTheSummaryLine() throws Exception {
        Cli.Result r = Cli.run("snapshot", "self");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(SnapshotJson.KIND, root.get("kind").asText());
        Snapshot back = SnapshotJson.parse(r.out(), "stdout");
        assertEquals(ProcessHandle.current().pid(), back.process().pid());
    }

    /** --pages: every mapping's runs cover exactly its pages, and the present runs add up to the summary. */
    @Test
    void pagesAreRunLengthEncodedAndAgreeWithTheSummary() throws Exception {
        try (SampleProgram s = Samples.start("sparse_big", "64", "16", "0")) {
            SampleStep ready = s.awaitStep("ready");
            Path f = tmp.resolve("pages.json");
            Cli.Result r = Cli.run("snapshot", Integer.toString(s.pid()), "--pages", "-o", f.toString());
            assertEquals(0, r.code(), r.err());
            Snapshot snap = SnapshotJson.read(f);
            for (Region x : snap.regions()) {
                if (x.residency() == null) {
                    continue;
                }
                long pages = 0;
                long present = 0;
                for (PageRun run : x.pages()) {
                    assertEquals(pages, run.firstPage(), x.mapping().toMapsLine());
                    pages += run.count();
                    present += (run.flags() & PageRun.PRESENT) != 0 ? run.count() : 0;
                }
                assertEquals(x.residency().pages(), pages, x.mapping().toMapsLine());
                assertEquals(x.residency().present(), present, x.mapping().toMapsLine());
            }
            // sparse: every 16th page written, so runs alternate; the 64 MiB mapping still takes a few KiB
            SampleStep.Range sparse = ready.range("sparse");
            Region sp = snap.regions().stream().filter(x -> x.mapping().start() == sparse.lo()).findFirst().orElseThrow();
            assertEquals(ready.number("sparse_touched"), sp.residency().present());
            long touched = ready.number("sparse_touched");
            assertTrue(Math.abs(sp.pages().size() - 2 * touched) <= 1, sp.pages().size() + " runs for " + touched
                    + " touched pages, each followed by 15 untouched");
            assertTrue(Files.size(f) < 1 << 20, "file of " + Files.size(f) + " bytes");
        }
    }

    @Test
    void pfnNeedsCapSysAdminAndRecordsFramesWhenAllowed() throws Exception {
        Path f = tmp.resolve("pfn.json");
        Cli.Result r = Cli.run("snapshot", "self", "--pfn", "-o", f.toString());
        if (!Live.features().pfnsVisible().available()) {
            assertEquals(ExitCodes.UNSUPPORTED, r.code(), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("inspector: --pfn needs CAP_SYS_ADMIN"), r.err());
            assertFalse(Files.exists(f));
            return;
        }
        assertEquals(0, r.code(), r.err());
        Snapshot snap = SnapshotJson.read(f);
        assertTrue(snap.regions().stream().filter(x -> x.pages() != null).flatMap(x -> x.pages().stream())
                .anyMatch(run -> (run.flags() & PageRun.PRESENT) != 0 && run.pfn() > 0), "some present run has a frame");
    }

    /** A failed snapshot leaves an existing file as it was and no temporary file beside it. */
    @Test
    void failedSnapshotLeavesTheExistingFileUntouched() throws Exception {
        Path f = tmp.resolve("existing.json");
        Files.writeString(f, "previous content\n");
        int missing = Integer.parseInt(Samples.readProcFile(Paths.get("/proc/sys/kernel/pid_max")).trim()) + 1;
        Cli.Result r = Cli.run("snapshot", Integer.toString(missing), "-o", f.toString());
        assertEquals(ExitCodes.NO_SUCH_PROCESS, r.code(), r.err());
        assertEquals("inspector: no such process: " + missing + System.lineSeparator(), r.err());
        assertEquals("previous content\n", Files.readString(f, StandardCharsets.UTF_8));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(f), left.collect(Collectors.toList()));
        }
        // and into a directory that does not exist: one line, nothing created
        Path nowhere = tmp.resolve("no such dir").resolve("x.json");
        Cli.Result d = Cli.run("snapshot", "self", "-o", nowhere.toString());
        assertEquals(ExitCodes.BAD_INPUT, d.code(), d.err());
        assertEquals(1, d.err().lines().count(), d.err());
        assertFalse(Files.exists(nowhere.getParent()));
    }
}
