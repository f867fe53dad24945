package dev.inspector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.testing.Samples;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What pmap, smem and ps users look for: several processes, a name, filters, sorting, summaries, JSON, states. */
@LiveTest
class SelectionTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void mapsOfSeveralProcessesOrOfAName() {
        try (SampleProgram a = Samples.start("typical", "1"); SampleProgram b = Samples.start("typical", "1")) {
            a.awaitStep("ready");
            b.awaitStep("ready");
            Cli.Result two = Cli.run("maps", Integer.toString(a.pid()), Integer.toString(b.pid()), "--kind", "heap");
            assertEquals(0, two.code(), two.err());
            List<String> heads = two.out().lines().filter(l -> l.startsWith("pid ")).toList();
            assertEquals(2, heads.size(), two.out());
            assertTrue(heads.get(0).startsWith("pid " + a.pid() + " (typical): "), heads.get(0));
            assertEquals(2, two.out().lines().filter(l -> l.endsWith("[heap]")).count(), two.out());
            // -C selects both by name, as 'ps -C' would (and never the inspector itself)
            Cli.Result named = Cli.run("maps", "-C", "typical", "--kind", "heap");
            assertEquals(0, named.code(), named.err());
            assertTrue(named.out().contains("pid " + a.pid() + " (typical)"), named.out());
            assertTrue(named.out().contains("pid " + b.pid() + " (typical)"), named.out());
            Cli.Result none = Cli.run("maps", "-C", "no-such-program-here");
            assertEquals(ExitCodes.NO_SUCH_PROCESS, none.code());
            assertTrue(none.err().startsWith("inspector: no process is named 'no-such-program-here'"), none.err());
            // one process among several that is gone: the others are shown, the status says what happened
            int pidMax = 1 << 22;
            Cli.Result partly = Cli.run("maps", Integer.toString(a.pid()), Integer.toString(pidMax + 1));
            assertEquals(ExitCodes.NO_SUCH_PROCESS, partly.code());
            assertTrue(partly.out().contains("pid " + a.pid()), partly.out());
            assertEquals("inspector: no such process: " + (pidMax + 1), partly.err().trim());
        }
    }

    @Test
    void aNameFilterAndTheJsonTotalsOfWhatIsShown() throws Exception {
        Cli.Result libc = Cli.run("maps", "self", "--name", "libc.so");
        assertEquals(0, libc.code(), libc.err());
        List<String> rows = libc.out().lines().skip(1).filter(l -> !l.startsWith("total")).toList();
        assertFalse(rows.isEmpty());
        rows.forEach(r -> assertTrue(r.contains("libc.so"), r));
        JsonNode doc = JSON.readTree(Cli.run("maps", "self", "--name", "libc.so", "--json").out());
        assertEquals("sum of shown", doc.get("totals").get("source").asText());
        assertEquals(doc.get("regions").size(), doc.get("totals").get("mappings").asInt());
        long rss = 0;
        for (JsonNode r : doc.get("regions")) {
            rss += r.get("smaps").get("bytes").get("Rss").asLong();
            assertEquals(r.get("kind").asText(), r.get("kind").asText().toLowerCase());
        }
        assertEquals(rss, doc.get("totals").get("rss").asLong());
        JsonNode all = JSON.readTree(Cli.run("maps", "self", "--json").out());
        assertEquals("smaps_rollup", all.get("totals").get("source").asText());
        assertEquals(all.get("rollup").get("bytes").get("Rss").asLong(), all.get("totals").get("rss").asLong());
        JsonNode bare = JSON.readTree(Cli.run("maps", "self", "--json", "--no-smaps").out());
        assertTrue(bare.get("totals").get("rss").isNull());
    }

    @Test
    void noSmapsHasNoUsageColumns() {
        Cli.Result r = Cli.run("maps", "self", "--no-smaps");
        assertEquals(0, r.code(), r.err());
        String header = r.out().lines().findFirst().orElseThrow();
        assertTrue(header.matches(" *N  START +END +SIZE  PERM  KIND +NAME"), header);
        String total = r.out().lines().reduce((a, b) -> b).orElseThrow();
        assertTrue(total.matches("total: \\d+ mappings, size \\S+"), total);
    }

    @Test
    void psShowsStatesFiltersAndJson() throws Exception {
        // sh forks 'true' and replaces itself with sleep, which never reaps it: a zombie whose parent is sleep
        Process p = new ProcessBuilder("sh", "-c", "true & exec sleep 30").start();
        try {
            int zombie = -1;
            for (int i = 0; i < 100 && zombie < 0; i++) {
                for (ProcessHandle c : p.children().toList()) {
                    zombie = (int) c.pid();
                }
                Thread.sleep(20);
            }
            assertTrue(zombie > 0, "the child of sleep");
            int z = zombie;
            for (int i = 0; i < 100 && SampleProgram.state(z) != 'Z'; i++) {
                Thread.sleep(20);
            }
            Cli.Result r = Cli.run("ps");
            assertEquals(0, r.code(), r.err());
            String row = r.out().lines().filter(l -> l.trim().startsWith(z + " ")).findFirst().orElseThrow();
            assertTrue(row.matches("\\s*" + z + "\\s+\\S+\\s+zombie\\s.*\\[\\S+\\] <defunct>"), row);
            String kthreadd = r.out().lines().filter(l -> l.trim().startsWith("2 ")).findFirst().orElseThrow();
            assertTrue(kthreadd.matches("\\s*2\\s+root\\s+kernel\\s.*\\[kthreadd\\]"), kthreadd);
            assertTrue(r.out().lines().reduce((a, b) -> b).orElseThrow().matches(".* processes \\(\\d+ kernel"
                    + " threads?, \\d+ zombies?\\).*"), r.out());
            // filters: by name (ps -C) and by user, in JSON with the footer's counts
            JsonNode doc = JSON.readTree(Cli.run("ps", "-C", "sleep", "--json").out());
            assertEquals("inspector-ps", doc.get("kind").asText());
            boolean found = false;
            for (JsonNode proc : doc.get("processes")) {
                assertEquals("sleep", proc.get("comm").asText());
                found |= proc.get("pid").asLong() == p.pid();
            }
            assertTrue(found, doc.toString());
            assertEquals(doc.get("processes").size(), doc.get("totals").get("shown").asInt());
            assertTrue(doc.get("totals").get("zombies").asInt() >= 1);
            String user = System.getProperty("user.name");
            JsonNode mine = JSON.readTree(Cli.run("ps", "-u", user, "--json").out());
            for (JsonNode proc : mine.get("processes")) {
                assertEquals(user, proc.get("user").asText());
            }
            // by PID, as ps -p: the zombie and sleep, nothing else
            JsonNode two = JSON.readTree(Cli.run("ps", "-p", z + "," + p.pid(), "--json").out());
            assertEquals(2, two.get("processes").size(), two.toString());
            assertEquals(java.util.Set.of((long) z, p.pid()), java.util.Set.of(two.get("processes").get(0).get("pid")
                    .asLong(), two.get("processes").get(1).get("pid").asLong()));
            assertEquals(ExitCodes.USAGE, Cli.run("ps", "-p", "x1").code());
            assertEquals(0, JSON.readTree(Cli.run("ps", "-u", "no-such-user-here", "--json").out())
                    .get("processes").size());
        } finally {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aKernelThreadOrAZombieIsSaidToBeOneNotToHaveExitedDuringTheRead() throws Exception {
        // kthreadd is pid 2 where the kernel's threads are visible; PF_KTHREAD read here from the text of its stat
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/2/stat"));
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        boolean kthread = (Long.parseLong(after[6]) & 0x00200000L) != 0; // field 9, flags
        if (kthread) {
            for (String[] cmd : List.of(new String[] {"maps", "2"}, new String[] {"pages", "2"},
                    new String[] {"translate", "2", "0x1000"}, new String[] {"snapshot", "2"})) {
                Cli.Result r = Cli.run(cmd);
                assertEquals(ExitCodes.KERNEL_THREAD, r.code(), String.join(" ", cmd) + ": " + r.err());
                assertEquals("", r.out(), String.join(" ", cmd));
                assertTrue(r.err().startsWith("inspector: process 2 (") && r.err().contains(") is a kernel thread:"),
                        r.err());
            }
        }
        Process p = new ProcessBuilder("sh", "-c", "true & exec sleep 30").start();
        try {
            int zombie = -1;
            for (int i = 0; i < 100 && zombie < 0; i++) {
                for (ProcessHandle c : p.children().toList()) {
                    zombie = (int) c.pid();
                }
                Thread.sleep(20);
            }
            assertTrue(zombie > 0, "the child of sleep");
            for (int i = 0; i < 100 && SampleProgram.state(zombie) != 'Z'; i++) {
                Thread.sleep(20);
            }
            assertEquals('Z', SampleProgram.state(zombie));
            for (String cmd : List.of("maps", "pages", "snapshot", "watch")) {
                Cli.Result r = Cli.run(cmd, Integer.toString(zombie));
                assertEquals(ExitCodes.PROCESS_EXITED, r.code(), cmd + ": " + r.err());
                assertTrue(r.err().contains("is a zombie") && r.err().contains("(pid " + p.pid() + ")"), r.err());
                assertFalse(r.err().contains("exited during the read"), r.err());
            }
            // among several PIDs it is one line on stderr; the others are shown
            Cli.Result two = Cli.run("maps", "self", Integer.toString(zombie));
            assertEquals(ExitCodes.PROCESS_EXITED, two.code(), two.err());
            assertTrue(two.out().contains("pid "), two.out());
            assertEquals(1, two.err().lines().count(), two.err());
        } finally {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
