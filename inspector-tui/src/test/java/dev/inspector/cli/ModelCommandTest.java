package dev.inspector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code inspector model}: the checklist as text and JSON, its exit code following its lines. */
@EnabledOnOs(OS.LINUX)
@LiveTest
class ModelCommandTest {

    static final List<String> TOPICS = List.of("page size", "huge pages", "address width", "paging levels",
            "user/kernel split", "32-bit process", "ASLR", "segment order", "mmap layout", "stack direction",
            "kernel mapping", "frame numbers", "zero page", "vDSO data", "anon names", "pagemap");

    @Test
    void jsonHasEveryLineWithItsEvidenceAndTheExitCodeFollows() throws Exception {
        Cli.Result r = Cli.run("model", "--json");
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals(ProcessHandle.current().pid(), doc.get("pid").asLong());
        assertTrue(doc.get("self").asBoolean());
        List<String> topics = new java.util.ArrayList<>();
        boolean differs = false;
        for (JsonNode l : doc.get("lines")) {
            topics.add(l.get("topic").asText());
            assertTrue(l.get("sources").size() > 0, l.toString());
            JsonNode c = l.get("check");
            String v = c.get("verdict").asText();
            differs |= v.equals("differs");
            assertTrue(v.equals("cannot_check") ? c.has("missing") : !c.get("observed").asText().isEmpty(),
                    l.toString());
        }
        assertEquals(TOPICS, topics);
        assertEquals(differs ? ExitCodes.CLAIM_DIFFERS : 0, r.code(), r.err());
    }

    @Test
    void theTableNamesEachTopicAndWhereItsEvidenceCameFrom() {
        Cli.Result r = Cli.run("model", "self", "--color=never");
        assertTrue(r.code() == 0 || r.code() == ExitCodes.CLAIM_DIFFERS, r.err());
        assertTrue(r.out().startsWith("inspector model: the documents' model checked on this host (Linux "), r.out());
        for (String t : TOPICS) {
            assertTrue(r.out().contains("\n" + t + " "), t + " in\n" + r.out());
        }
        assertEquals(TOPICS.size(), r.out().lines().filter(l -> l.trim().startsWith("from: ")).count());
        assertTrue(r.out().contains("paging levels      differs    C44   "), r.out());
    }

    @Test
    void aMissingProcessIsExitThree() {
        Cli.Result r = Cli.run("model", "999999999");
        assertEquals(ExitCodes.NO_SUCH_PROCESS, r.code(), r.err());
    }

    @Test
    void asNobodyTheRootOnlyFactsSayWhatIsMissing() throws Exception {
        assumeTrue(Nobody.available(), "needs root and setpriv");
        Nobody.Run r = Nobody.cli("model", "--json");
        assertTrue(r.code() == 0 || r.code() == ExitCodes.CLAIM_DIFFERS, r.toString());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        for (JsonNode l : doc.get("lines")) {
            if (l.get("topic").asText().equals("frame numbers")) {
                assertEquals("holds", l.get("check").get("verdict").asText(), l.toString());
                assertTrue(l.get("check").get("observed").asText().contains("hidden from us"), l.toString());
            }
            if (l.get("topic").asText().equals("ASLR")) {
                assertTrue(l.get("check").get("observed").asText().contains("vm.mmap_rnd_bits ? (not readable by"
                        + " this user (root only))"), l.toString());
            }
        }
    }
}
