package dev.inspector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.json.SnapshotJson;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnabledOnOs(OS.LINUX)
@LiveTest
class DiffCommandTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final long MIB = 1 << 20;

    @TempDir
    Path tmp;

    /** Snapshot, let the child map and touch 8 MiB, snapshot: the diff shows that region added with its 8 MiB RSS. */
    @Test
    void snapshotBeforeAndAfterAStepShowsExactlyTheRegionTheStepMapped() throws Exception {
        Path a = tmp.resolve("a.json");
        Path b = tmp.resolve("b.json");
        long addr;
        try (Mapper m = new Mapper(8 * MIB)) {
            assertEquals(0, Cli.run("snapshot", Integer.toString(m.pid()), "-o", a.toString()).code());
            addr = m.mapOne();
            assertEquals(0, Cli.run("snapshot", Integer.toString(m.pid()), "-o", b.toString()).code());
        }
        Cli.Result r = Cli.run("diff", a.toString(), b.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode d = JSON.readTree(r.out());
        assertEquals("inspector-diff", d.get("kind").asText());
        List<JsonNode> added = withAspect(d, "added");
        assertEquals(1, added.size(), r.out());
        assertTrue(withAspect(d, "removed").isEmpty(), r.out());
        JsonNode region = added.get(0).get("after").get(0);
        assertEquals("0x" + Long.toHexString(addr), region.get("start").asText());
        assertEquals(8 * MIB, region.get("size").asLong());
        assertEquals(8 * MIB, added.get(0).get("usageDelta").get("rss").asLong(), "every page was touched");
        assertEquals(1, d.get("totals").get("mappingsAfter").asInt() - d.get("totals").get("mappingsBefore").asInt());

        // the text view: one green "added" row naming the range (colours forced on)
        Cli.Result t = Cli.run("diff", a.toString(), b.toString(), "--color=always");
        assertEquals(0, t.code(), t.err());
        String row = t.out().lines().filter(l -> l.contains(dev.inspector.present.Format.addr(addr) + "-"))
                .findFirst().orElseThrow(() -> new AssertionError(t.out()));
        assertTrue(row.startsWith("\u001b[" + dev.inspector.present.Style.GREEN + "madded "), row);
        assertTrue(row.contains("+8M"), row);
        Cli.Result plain = Cli.run("diff", a.toString(), b.toString(), "--color=never");
        assertFalse(plain.out().contains("\u001b"), plain.out());
        assertTrue(plain.out().contains("total: ") && plain.out().contains("(+1), mapped "), plain.out());
    }

    /** diff PID --after: the child maps two regions while the command waits; both appear as added. */
    @Test
    void diffAfterSeesWhatTheProcessMappedDuringTheWait() throws Exception {
        try (Mapper m = new Mapper(4 * MIB)) {
            Thread helper = new Thread(() -> {
                try {
                    Thread.sleep(700); // after the first snapshot (taken at once), well before the second
                    m.requestOne();
                    m.requestOne();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            helper.start();
            Cli.Result r = Cli.run("diff", Integer.toString(m.pid()), "--after", "2s", "--json");
            helper.join();
            assertEquals(0, r.code(), r.err());
            long first = m.answer();
            long second = m.answer();
            JsonNode d = JSON.readTree(r.out());
            List<String> starts = new ArrayList<>();
            for (JsonNode c : withAspect(d, "added")) {
                starts.add(c.get("after").get(0).get("start").asText());
                assertEquals(4 * MIB, c.get("usageDelta").get("rss").asLong(), c.toString());
            }
            assertTrue(starts.contains("0x" + Long.toHexString(first)), starts + " " + r.out());
            assertTrue(starts.contains("0x" + Long.toHexString(second)), starts + " " + r.out());
            assertEquals(2, starts.size(), r.out());
            assertTrue(d.get("elapsedNanos").asLong() >= 2_000_000_000L);
        }
    }

    /** Two runs of one program: by address nearly everything moved; by module nothing was added or removed. */
    @Test
    void byModuleMatchesTwoRunsUnderAslrAndReportsTheShifts() throws Exception {
        Path a = tmp.resolve("run1.json");
        Path b = tmp.resolve("run2.json");
        try (SampleProgram one = Samples.start("typical", "2"); SampleProgram two = Samples.start("typical", "2")) {
            one.awaitStep("ready");
            two.awaitStep("ready");
            assertEquals(0, Cli.run("snapshot", Integer.toString(one.pid()), "-o", a.toString()).code());
            assertEquals(0, Cli.run("snapshot", Integer.toString(two.pid()), "-o", b.toString()).code());
        }
        Snapshot sa = SnapshotJson.read(a);
        Snapshot sb = SnapshotJson.read(b);
        Cli.Result r = Cli.run("diff", a.toString(), b.toString(), "--by-module", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode d = JSON.readTree(r.out());
        assertEquals("MODULE", d.get("match").asText());
        assertTrue(withAspect(d, "added").isEmpty(), r.out());
        assertTrue(withAspect(d, "removed").isEmpty(), r.out());
        String exe = sa.process().exe();
        JsonNode mod = null;
        for (JsonNode m : d.get("modules")) {
            if (m.get("module").asText().equals(exe)) {
                mod = m;
            }
        }
        assertNotNull(mod, "the executable is a module: " + d.get("modules"));
        assertEquals(sb.bases().exeBase() - sa.bases().exeBase(), mod.get("shift").asLong());
        if (sa.host().randomizeVaSpace() > 0 && !sa.bases().exeBase().equals(sb.bases().exeBase())) {
            Cli.Result byAddr = Cli.run("diff", a.toString(), b.toString(), "--json");
            assertFalse(withAspect(JSON.readTree(byAddr.out()), "added").isEmpty(), "by address the moved image is new");
        }
        Cli.Result text = Cli.run("diff", a.toString(), b.toString(), "--by-module", "--color=never");
        assertTrue(text.out().contains("A and B are different processes"), text.out());
        assertTrue(text.out().lines().anyMatch(l -> l.startsWith("MODULE ")), text.out());
    }

    @Test
    void badInputsAreOneLineNamingTheFileAndThePlace() throws Exception {
        Path good = tmp.resolve("good.json");
        assertEquals(0, Cli.run("snapshot", "self", "-o", good.toString()).code());
        String json = Files.readString(good);

        Path truncated = tmp.resolve("truncated.json");
        Files.writeString(truncated, json.substring(0, json.length() / 2));
        assertBad(Cli.run("diff", good.toString(), truncated.toString()), truncated + ": line ");

        Path corrupt = tmp.resolve("corrupt.json");
        Files.writeString(corrupt, json.replaceFirst("\"pageSize\":\\d+", "\"pageSize\":\"big\""));
        assertBad(Cli.run("diff", corrupt.toString(), good.toString()), corrupt + ": /host/pageSize: ");

        Path other = tmp.resolve("other.json");
        Files.writeString(other, "{\"kind\":\"something\"}");
        assertBad(Cli.run("diff", good.toString(), other.toString()), other + ": /kind: ");

        Path missing = tmp.resolve("missing.json");
        assertBad(Cli.run("diff", good.toString(), missing.toString()), missing + ": no such file");

        // one snapshot alone is a usage error, not bad input
        Cli.Result alone = Cli.run("diff", good.toString());
        assertEquals(ExitCodes.USAGE, alone.code(), alone.err());
        assertTrue(alone.err().contains("is a single snapshot"), alone.err());

        Cli.Result badDuration = Cli.run("diff", "self", "--after", "2");
        assertEquals(ExitCodes.USAGE, badDuration.code(), badDuration.err());
        assertTrue(badDuration.err().startsWith("inspector: --after takes a whole number and a unit"), badDuration.err());
    }

    private static void assertBad(Cli.Result r, String prefix) {
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("inspector: " + prefix), r.err());
        assertEquals("", r.out());
    }

    static List<JsonNode> withAspect(JsonNode diff, String aspect) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode c : diff.get("changes")) {
            for (JsonNode a : c.get("aspects")) {
                if (a.asText().equals(aspect)) {
                    out.add(c);
                }
            }
        }
        return out;
    }
}
