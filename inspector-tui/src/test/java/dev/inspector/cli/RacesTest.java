package dev.inspector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inspector.core.demo.SampleDirectory;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.json.Timeline;
import dev.inspector.core.json.TimelineReader;
import dev.inspector.core.testing.Live;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.Samples;
import dev.inspector.core.testing.Unprivileged;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Races with the target: it exits at every phase of a command (as root and as an ordinary user, whose own exiting
 * process the kernel hands to root), it maps and unmaps in a tight loop under {@code watch}, its PID is taken over by
 * another process. The short versions; docs/reliability.md ("Races") has the long runs and their figures.
 */
@LiveTest
@EnabledOnOs(OS.LINUX)
class RacesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a command may answer about a target that exits under it: done, gone before the start, gone during. */
    private static final Set<Integer> ALLOWED = Set.of(ExitCodes.OK, ExitCodes.NO_SUCH_PROCESS,
            ExitCodes.PROCESS_EXITED);

    @TempDir
    Path tmp;

    @Test
    void aTargetKilledAtAnyPhaseIsDoneOrGoneNeverMalformedOrRefused() throws Exception {
        Path program = SampleDirectory.locate().program("sparse_big");
        // More rounds for the long run of docs/reliability.md ("Races"): -Dinspector.races.rounds=N.
        int rounds = Integer.getInteger("inspector.races.rounds", 1);
        check(RaceProbe.run(Live.host(), program.toString(), rounds), "this user", rounds);
        Assumptions.assumeTrue(Nobody.available(), Nobody::whyNot);
        Path bin = Files.createTempDirectory("inspector-races-bin");
        try {
            Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path copy = Files.copy(program, bin.resolve("sparse_big"), StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
            Nobody.Run r = Nobody.java(RaceProbe.class.getName(), copy.toString(), Integer.toString(rounds));
            assertEquals(0, r.code(), r.toString());
            check(r.out().lines().toList(), "uid 65534", rounds);
        } finally {
            Files.deleteIfExists(bin.resolve("sparse_big"));
            Files.deleteIfExists(bin);
        }
    }

    private static void check(List<String> cells, String who, int rounds) {
        assertEquals(RaceProbe.COMMANDS.size() * RaceProbe.DELAYS_MS.length * rounds, cells.size(), who + ": " + cells);
        java.util.Map<String, Integer> tally = new java.util.TreeMap<>();
        for (String c : cells) {
            String[] f = c.split("\t", -1);
            int code = Integer.parseInt(f[2]);
            assertTrue(ALLOWED.contains(code), who + ": " + c);
            if (code == ExitCodes.PROCESS_EXITED) {
                assertTrue(f[3].startsWith("inspector: process ") && (f[3].contains(" exited during the read")
                        || f[3].contains(" is exiting") || f[3].contains(" is a zombie")), who + ": " + c);
            }
            tally.merge(f[0] + " -> " + code, 1, Integer::sum);
        }
        System.out.println("races, " + who + ": " + tally); // the figures of docs/reliability.md ("Races")
    }

    /** A target remapping a thousand VMAs in a tight loop: watch keeps every point it was asked for. */
    @Test
    void watchOnAChurningTargetKeepsItsRecording() throws Exception {
        try (SampleProgram s = Samples.start(Samples.env("SAMPLE_NOPAUSE", "1", "SAMPLE_HOLD", "1"), "churn", "0",
                "2")) {
            s.awaitStep("ready");
            Path f = tmp.resolve("churn.ndjson");
            Cli.Result r = Cli.run("watch", Integer.toString(s.pid()), "-i", "20ms", "-n", "8", "-o", f.toString());
            assertEquals(0, r.code(), r.err());
            Timeline t = TimelineReader.read(f);
            assertEquals(8, t.size(), r.err());
            assertTrue(t.warning().isEmpty());
            for (String line : r.err().lines().toList()) {
                assertTrue(line.startsWith("point ") || line.startsWith("inspector: warning: no point at this interval:"),
                        line);
            }
            s.releaseHold();
        }
    }

    /**
     * PID reuse, forced: in a PID namespace of its own (unshare; a user namespace makes it work for any user), a
     * watched {@code sleep} is killed, ns_last_pid set so that the next process gets its number, and another
     * {@code sleep} started. The watch, also in the namespace, ends with an exit record saying the PID was reused.
     */
    @Test
    void aPidTakenOverByAnotherProcessEndsTheWatchWithAReusedRecord() throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        for (int attempt = 1; ; attempt++) {
            Path out = tmp.resolve("reuse-" + attempt + ".ndjson");
            String script = "sleep 600 & T=$!\n"
                    + "'" + java + "' -XX:TieredStopAtLevel=1 -cp '" + cp + "' " + Main.class.getName()
                    + " watch $T -i 1s -o '" + out + "' 2>/dev/null & W=$!\n"
                    + "while [ \"$(cat '" + out + "' 2>/dev/null | wc -l)\" -lt 2 ]; do sleep 0.05; done\n"
                    + "kill -9 $T; wait $T 2>/dev/null\n"
                    + "echo $((T - 1)) > /proc/sys/kernel/ns_last_pid\n"
                    + "sleep 600 & N=$!\n"
                    + "wait $W; S=$?\n"
                    + "kill $N\n"
                    + "echo \"$T $N $S\"\n";
            Process p = new ProcessBuilder("unshare", "-Urpf", "--mount-proc", "sh", "-c", script)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String result = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            int exit = p.waitFor();
            Assumptions.assumeTrue(exit == 0 && !result.isEmpty(), "unshare -Urpf is not allowed here (exit " + exit
                    + ")");
            String[] w = result.split(" ");
            assertEquals("0", w[2], "watch ends with status 0 on an exit record");
            if (!w[0].equals(w[1]) && attempt < 3) {
                continue; // another process (a JVM thread) took the number first: try again
            }
            List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
            JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
            assertEquals("exit", last.get("type").asText());
            String reason = last.get("reason").asText();
            assertTrue(reason.equals("exited (PID " + w[0] + " now belongs to another process)")
                    || (!w[0].equals(w[1]) && reason.startsWith("exited")), result + ": " + reason);
            return;
        }
    }
}
