package dev.inspector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code inspector aslr} on a small number of runs, with and without --no-randomize. */
@EnabledOnOs(OS.LINUX)
@LiveTest
class AslrCommandTest {

    private static Set<String> values(JsonNode runs, String kind) {
        Set<String> out = new HashSet<>();
        for (JsonNode r : runs) {
            out.add(r.get("bases").get(kind).asText());
        }
        return out;
    }

    @Test
    void theSampleMovesBetweenRuns() throws Exception {
        Cli.Result r = Cli.run("aslr", "--runs", "6", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertTrue(doc.get("sample").asBoolean());
        JsonNode runs = doc.get("runs");
        assertEquals(6, runs.size());
        for (String kind : new String[] {"program", "stack", "loader", "vdso", "mmap"}) {
            assertEquals(6, values(runs, kind).size(), kind + " differs in every run");
        }
        for (JsonNode k : doc.get("kinds")) {
            assertEquals(6, k.get("runs").asInt());
        }
        assertEquals(6, doc.get("paxtest").size());
        assertEquals("holds", doc.get("checks").get(0).get("verdict").asText(), doc.get("checks").toString());
    }

    @Test
    void withNoRandomizeTheAddressesDoNotMove() throws Exception {
        Cli.Result r = Cli.run("aslr", "--runs", "4", "--no-randomize", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        JsonNode runs = doc.get("runs");
        for (Iterator<Map.Entry<String, JsonNode>> it = runs.get(0).get("bases").fields(); it.hasNext(); ) {
            String kind = it.next().getKey();
            assertEquals(1, values(runs, kind).size(), kind + " is the same in every run: " + runs);
        }
        for (JsonNode run : runs) {
            assertEquals(0x40000, Integer.decode(run.get("personality").asText()) & 0x40000, run.toString());
        }
        assertTrue(doc.get("noRandomize").asBoolean());
        assertEquals("holds", doc.get("checks").get(0).get("verdict").asText());
    }

    @Test
    void anyCommandAndTheTextReport() {
        Cli.Result r = Cli.run("aslr", "--runs", "3", "--color=never", "--", "sleep", "5");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("inspector aslr: 3 runs of sleep 5\n"), r.out());
        assertTrue(r.out().contains("\nprogram "), r.out());
        assertTrue(r.out().contains("PAXTEST (stock x86-64)  PUBLISHED"), r.out());
        assertTrue(r.out().contains("stack                     30 bits"), r.out());
        assertTrue(r.out().contains("fork without exec keeps the layout"), r.out());
    }

    @Test
    void badInput() {
        assertEquals(ExitCodes.USAGE, Cli.run("aslr", "--runs", "0").code());
        Cli.Result missing = Cli.run("aslr", "--runs", "2", "--", "/nonexistent/program");
        assertEquals(ExitCodes.BAD_INPUT, missing.code(), missing.err());
        assertTrue(missing.err().contains("cannot run /nonexistent/program"), missing.err());
        Cli.Result quick = Cli.run("aslr", "--runs", "2", "--", "true");
        assertTrue(quick.code() == 0 || quick.code() == ExitCodes.SAMPLE_FAILED, quick.err());
    }
}
