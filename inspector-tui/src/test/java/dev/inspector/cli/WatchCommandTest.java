package dev.inspector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inspector.core.json.Timeline;
import dev.inspector.core.json.TimelineReader;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnabledOnOs(OS.LINUX)
@LiveTest
class WatchCommandTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void countWritesThatManyPointsEachLineParsesAndTheTimelineRebuildsThem() throws Exception {
        Path f = tmp.resolve("t.ndjson");
        try (Mapper m = new Mapper(1 << 20)) {
            Thread helper = new Thread(() -> {
                try {
                    Thread.sleep(150);
                    m.mapOne();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            helper.start();
            Cli.Result r = Cli.run("watch", Integer.toString(m.pid()), "--interval", "300ms", "--count", "3",
                    "-o", f.toString());
            helper.join();
            assertEquals(0, r.code(), r.err());
            List<JsonNode> lines = lines(f);
            assertEquals(3, lines.size());
            assertEquals("snapshot", lines.get(0).get("type").asText());
            assertEquals("inspector-timeline", lines.get(0).get("kind").asText());
            assertEquals("delta", lines.get(1).get("type").asText());
            assertEquals("delta", lines.get(2).get("type").asText());
            // progress: one line per point on stderr
            List<String> progress = r.err().lines().collect(java.util.stream.Collectors.toList());
            assertEquals(3, progress.size(), r.err());
            assertTrue(progress.get(0).startsWith("point 0: python3 pid " + m.pid()), progress.get(0));
            assertTrue(progress.get(2).startsWith("point 2 (+"), progress.get(2));
            // the 1 MiB region mapped during the watch is in the diff of the timeline's first and last point
            Timeline t = TimelineReader.read(f);
            assertEquals(3, t.size());
            assertTrue(t.warning().isEmpty());
            Cli.Result d = Cli.run("diff", f.toString(), "--json");
            assertEquals(0, d.code(), d.err());
            assertEquals(1, DiffCommandTest.withAspect(JSON.readTree(d.out()), "added").size(), d.out());
            Cli.Result d01 = Cli.run("diff", f.toString(), "--from", "0", "--to", "0", "--color=never");
            assertTrue(d01.out().contains("no mapping changed"), d01.out());
        }
    }

    @Test
    void standardOutputCarriesTheTimelineForJq() throws Exception {
        Cli.Result r = Cli.run("watch", "self", "--interval", "100ms", "--count", "2");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err(), "no progress lines when the timeline goes to standard output");
        String[] lines = r.out().split("\n");
        assertEquals(2, lines.length);
        assertEquals("snapshot", JSON.readTree(lines[0]).get("type").asText());
        assertEquals(1, JSON.readTree(lines[1]).get("seq").asInt());
        Timeline t = TimelineReader.read(new java.io.ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8)),
                "stdout");
        assertEquals(2, t.size());
    }

    /** The target exits during the watch: a last exit record, status 0 (the command ends by itself). */
    @Test
    void targetExitEndsTheTimelineWithAnExitRecord() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "1").start();
        Path f = tmp.resolve("exit.ndjson");
        Cli.Result r = Cli.run("watch", Long.toString(sleeper.pid()), "--interval", "100ms", "-o", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(sleeper.waitFor(5, TimeUnit.SECONDS));
        List<JsonNode> lines = lines(f);
        assertTrue(lines.size() >= 2, "a snapshot, deltas, the exit: " + lines);
        JsonNode exit = lines.get(lines.size() - 1);
        assertEquals("exit", exit.get("type").asText());
        assertEquals(lines.size() - 1, exit.get("seq").asInt());
        // Only a parent can reap the status; the inspector may see it in stat while the child is still a zombie.
        if (exit.get("exitStatus").isNull()) {
            assertEquals("exited (status not visible to a non-parent)", exit.get("reason").asText());
        } else {
            assertEquals(0, exit.get("exitStatus").asInt());
            assertEquals("exited with status 0", exit.get("reason").asText());
        }
        Timeline t = TimelineReader.read(f);
        assertTrue(t.exit().isPresent());
        assertTrue(r.err().lines().reduce((a, b) -> b).orElse("").startsWith("pid " + sleeper.pid() + " exited"),
                r.err());
    }

    @Test
    void missingPidWritesNoFileAndBadOptionsAreUsageErrors() throws Exception {
        int missing = Integer.parseInt(Samples.readProcFile(Paths.get("/proc/sys/kernel/pid_max")).trim()) + 1;
        Path f = tmp.resolve("never.ndjson");
        Cli.Result r = Cli.run("watch", Integer.toString(missing), "-o", f.toString());
        assertEquals(ExitCodes.NO_SUCH_PROCESS, r.code(), r.err());
        assertFalse(Files.exists(f));
        Cli.Result i = Cli.run("watch", "self", "--interval", "0.5s");
        assertEquals(ExitCodes.USAGE, i.code(), i.err());
        assertTrue(i.err().startsWith("inspector: --interval takes a whole number and a unit"), i.err());
        Cli.Result c = Cli.run("watch", "self", "--count", "0");
        assertEquals(ExitCodes.USAGE, c.code(), c.err());
    }

    /**
     * Ctrl-C on a real inspector process (a child JVM running Main): exit status 130, and every line of the file is a
     * complete JSON record; the reader finds nothing to tolerate. Watches this test JVM (hundreds of mappings, so each
     * record is large) at a short interval, so the signal likely lands while a record is being written.
     */
    @Test
    void sigintLeavesAValidFileAndExits130() throws Exception {
        Path f = tmp.resolve("int.ndjson");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.inspector.cli.Main",
                "watch", Long.toString(ProcessHandle.current().pid()), "--interval", "10ms", "-o", f.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (countLines(f) < 5) {
                assertTrue(p.isAlive(), () -> "watch ended early: " + read(tmp.resolve("child.log")));
                assertTrue(System.nanoTime() < deadline, "no 5 points within 60 s");
                Thread.sleep(20);
            }
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "watch did not end after SIGINT");
            assertEquals(ExitCodes.INTERRUPTED, p.exitValue(), read(tmp.resolve("child.log")));
        } finally {
            p.destroyForcibly();
        }
        byte[] bytes = Files.readAllBytes(f);
        assertEquals('\n', bytes[bytes.length - 1], "the file ends with a complete line");
        List<JsonNode> lines = lines(f);
        assertTrue(lines.size() >= 5);
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(i, lines.get(i).get("seq").asInt());
        }
        Timeline t = TimelineReader.read(f);
        assertTrue(t.warning().isEmpty(), t.warning().orElse(""));
        assertTrue(t.exit().isEmpty(), "interrupted, not exited");
        assertEquals(lines.size(), t.size());
    }

    private static List<JsonNode> lines(Path f) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    private static long countLines(Path f) throws Exception {
        if (!Files.exists(f)) {
            return 0;
        }
        byte[] b = Files.readAllBytes(f);
        long n = 0;
        for (byte x : b) {
            n += x == '\n' ? 1 : 0;
        }
        return n;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "(" + e + ")";
        }
    }
}
