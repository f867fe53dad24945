package dev.inspector.core.checklist;

import dev.inspector.core.claims.Verdict;
import dev.inspector.core.demo.SampleDirectory;
import dev.inspector.core.testing.Live;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code model}'s lines against the kernel read directly, on the test JVM and on processes with either mmap layout. */
@EnabledOnOs(OS.LINUX)
@LiveTest
class ModelChecklistLiveTest {

    private static String read(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return new String(in.readNBytes(1 << 22), StandardCharsets.UTF_8);
        }
    }

    private static ModelLine line(ModelReport r, String topic) {
        return r.lines().stream().filter(l -> l.topic().equals(topic)).findFirst().orElseThrow();
    }

    @Test
    void theHostLinesFollowTheKernel() throws Exception {
        ModelReport r = new ModelChecklist(Live.host(), Optional.of(SampleDirectory.locate())).check(null);
        assertTrue(r.self());
        assertEquals(ProcessHandle.current().pid(), r.pid());
        String cpuinfo = read(Paths.get("/proc/cpuinfo"));
        boolean la57 = cpuinfo.contains(" la57");
        Process getconf = new ProcessBuilder("getconf", "PAGESIZE").start();
        long pageSize = Long.parseLong(new String(getconf.getInputStream().readAllBytes()).strip());
        assertEquals(pageSize == 4096 ? Verdict.HOLDS : Verdict.DIFFERS, line(r, "page size").verdict());
        assertEquals(la57 ? Verdict.DIFFERS : Verdict.HOLDS_WITH_NUANCE, line(r, "address width").verdict());
        assertEquals(Verdict.DIFFERS, line(r, "paging levels").verdict());
        assertEquals(Verdict.DIFFERS, line(r, "user/kernel split").verdict());
        long rva = Long.parseLong(read(Paths.get("/proc/sys/kernel/randomize_va_space")).strip());
        assertEquals(rva == 0 ? Verdict.DIFFERS : Verdict.HOLDS_WITH_NUANCE, line(r, "ASLR").verdict());
        assertEquals(Verdict.HOLDS, line(r, "stack direction").verdict(), line(r, "stack direction").detail());
        boolean pfns = !read(Paths.get("/proc/self/status")).isEmpty()
                && "root".equals(System.getProperty("user.name"));
        assertEquals(pfns ? Verdict.HOLDS_WITH_NUANCE : Verdict.HOLDS, line(r, "frame numbers").verdict());
        boolean pvm = read(Paths.get("/proc/cmdline")).contains("no_zero_page");
        if (pvm) {
            assertEquals(Verdict.DIFFERS, line(r, "zero page").verdict());
        }
        SampleDirectory samples = SampleDirectory.locate();
        boolean runs32 = samples.unavailable("vmsplit32").isEmpty();
        if (!runs32) {
            assertEquals(Verdict.CANNOT_CHECK, line(r, "32-bit process").verdict());
            assertTrue(line(r, "32-bit process").detail().contains(samples.unavailable("vmsplit32").get()));
        }
        boolean differs = r.lines().stream().anyMatch(l -> l.verdict() == Verdict.DIFFERS);
        assertEquals(differs, r.outcome().verdict() == Verdict.DIFFERS);
        for (ModelLine l : r.lines()) {
            assertTrue(!l.sources().isEmpty(), l.topic() + " names its sources");
        }
    }

    /** {@code sleep 30} started through sh with an RLIMIT_STACK of its own, once exec'd and its libraries mapped. */
    private static Process sleeper(String stackLimit) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "ulimit -s " + stackLimit + " && exec sleep 30").start();
        Path maps = Paths.get("/proc", Long.toString(p.pid()), "maps");
        for (int i = 0; i < 500; i++) {
            if (Files.exists(maps) && read(maps).contains("libc")
                    && Files.readSymbolicLink(Paths.get("/proc", Long.toString(p.pid()), "exe")).toString()
                    .endsWith("sleep")) {
                return p;
            }
            Thread.sleep(10);
        }
        p.destroyForcibly();
        throw new AssertionError("sleep did not start");
    }

    private static long libcStart(long pid) throws IOException {
        for (String l : read(Paths.get("/proc", Long.toString(pid), "maps")).split("\n")) {
            if (l.contains("libc")) {
                return Long.parseUnsignedLong(l.substring(0, l.indexOf('-')), 16);
            }
        }
        throw new AssertionError("no libc");
    }

    private static long exeStart(long pid) throws IOException {
        String exe = Files.readSymbolicLink(Paths.get("/proc", Long.toString(pid), "exe")).toString();
        for (String l : read(Paths.get("/proc", Long.toString(pid), "maps")).split("\n")) {
            if (l.endsWith(" " + exe)) {
                return Long.parseUnsignedLong(l.substring(0, l.indexOf('-')), 16);
            }
        }
        throw new AssertionError("no mapping of " + exe);
    }

    @Test
    void anUnlimitedStackGivesTheLegacyBottomUpLayout() throws Exception {
        long taskSize = 1L << 47;
        for (String limit : new String[] {"unlimited", "8192"}) {
            Process p = sleeper(limit);
            try {
                ModelReport r = new ModelChecklist(Live.host(), Optional.empty()).check((int) p.pid());
                ModelLine layout = line(r, "mmap layout");
                boolean bottomUp = libcStart(p.pid()) < taskSize / 2;
                assertEquals(limit.equals("unlimited"), bottomUp, "the kernel's own placement of libc");
                assertEquals(bottomUp ? Verdict.HOLDS_WITH_NUANCE : Verdict.HOLDS, layout.verdict(),
                        layout.check().detail());
                assertTrue(layout.check().observed().contains(bottomUp ? "bottom-up" : "top-down"),
                        layout.check().observed());
                // Bottom-up puts the mmap area below the program itself: the documents' fixed order then differs.
                long exe = exeStart(p.pid());
                assertEquals(libcStart(p.pid()) < exe ? Verdict.DIFFERS : Verdict.HOLDS_WITH_NUANCE,
                        line(r, "segment order").verdict(), line(r, "segment order").check().detail());
            } finally {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
