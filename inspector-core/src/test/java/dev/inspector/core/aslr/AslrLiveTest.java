package dev.inspector.core.aslr;

import dev.inspector.core.claims.Check;
import dev.inspector.core.claims.Verdict;
import dev.inspector.core.demo.SampleDirectory;
import dev.inspector.core.testing.Live;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A few runs of the aslr sample and of a command, with and without ADDR_NO_RANDOMIZE. */
@EnabledOnOs(OS.LINUX)
@LiveTest
class AslrLiveTest {

    private static final SampleDirectory SAMPLES = SampleDirectory.locate();

    private static long randomizeVaSpace() throws Exception {
        try (InputStream in = Files.newInputStream(Paths.get("/proc/sys/kernel/randomize_va_space"))) {
            return Long.parseLong(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
    }

    @Test
    void withoutNoRandomizeTheBasesMove() throws Exception {
        AslrRunner runner = new AslrRunner(Live.host(), Duration.ofSeconds(30));
        List<Integer> progress = new ArrayList<>();
        List<AslrSample> runs = runner.run(new AslrRunner.Subject(SAMPLES, List.of()), 8, false, progress::add);
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), progress);
        Set<Integer> pids = new HashSet<>();
        for (AslrSample s : runs) {
            pids.add(s.pid());
            for (String k : List.of(AslrRunner.PROGRAM, AslrRunner.HEAP, AslrRunner.STACK, AslrRunner.LOADER,
                    AslrRunner.VDSO, AslrRunner.MMAP, "lib:libc.so.6")) {
                assertNotNull(s.bases().get(k), k + " in " + s.bases());
            }
            assertEquals(0, s.personality() & 0x0040000, "no ADDR_NO_RANDOMIZE");
        }
        assertEquals(8, pids.size(), "eight processes");
        AslrReport r = AslrReport.analyse(List.of("aslr"), true, false, runs, runner.settings(), null);
        if (randomizeVaSpace() == 2) {
            for (String k : List.of(AslrRunner.PROGRAM, AslrRunner.STACK, AslrRunner.LOADER, AslrRunner.HEAP_OFFSET)) {
                assertTrue(r.kind(k).distinct() > 1, k + " moved: " + r.kind(k));
            }
            assertEquals(Verdict.HOLDS, r.checks().get(0).verdict(), r.checks().get(0).detail());
        }
        // The loader, libc and the sample's anonymous mmap share the mmap area's one random offset.
        assertTrue(r.together().stream().anyMatch(g -> g.contains(AslrRunner.LOADER) && g.contains("lib:libc.so.6")
                && g.contains(AslrRunner.MMAP)), r.together().toString());
    }

    @Test
    void withNoRandomizeNothingMovesAndEachChildCarriesThePersona() {
        AslrRunner runner = new AslrRunner(Live.host(), Duration.ofSeconds(30));
        List<AslrSample> runs = runner.run(new AslrRunner.Subject(SAMPLES, List.of()), 5, true, n -> { });
        for (AslrSample s : runs) {
            assertEquals(0x0040000, s.personality() & 0x0040000, "ADDR_NO_RANDOMIZE in /proc/" + s.pid()
                    + "/personality");
            assertEquals(runs.get(0).bases(), s.bases(), "the same bases in every run");
        }
        AslrReport r = AslrReport.analyse(List.of("aslr"), true, true, runs, runner.settings(), null);
        Check c = r.checks().get(0);
        assertEquals(Verdict.HOLDS, c.verdict(), c.detail());
        // Our own persona was restored: this JVM thread does not carry the flag on.
        assertEquals(0, dev.inspector.core.sys.Sys.currentPersonality() & 0x0040000);
    }

    @Test
    void anyCommandIsReadRightAfterItsExec() {
        AslrRunner runner = new AslrRunner(Live.host(), Duration.ofSeconds(30));
        for (boolean noRandomize : new boolean[] {false, true}) {
            List<AslrSample> runs = runner.run(new AslrRunner.Subject(null, List.of("sleep", "5")), 3, noRandomize,
                    n -> { });
            for (AslrSample s : runs) {
                assertNotNull(s.bases().get(AslrRunner.PROGRAM), s.bases().toString());
                assertNotNull(s.bases().get(AslrRunner.STACK), s.bases().toString());
                assertEquals(noRandomize ? 0x0040000 : 0, s.personality() & 0x0040000);
            }
            Set<Long> stacks = new HashSet<>();
            runs.forEach(s -> stacks.add(s.bases().get(AslrRunner.STACK)));
            assertEquals(noRandomize ? 1 : 3, stacks.size(), "stack tops " + stacks);
        }
    }

    @Test
    void aForkedChildKeepsItsParentsLayout() {
        String evidence = new AslrRunner(Live.host(), Duration.ofSeconds(30)).forkKeepsLayout(SAMPLES);
        assertNotNull(evidence);
        assertTrue(evidence.contains("the same addresses"), evidence);
    }
}
