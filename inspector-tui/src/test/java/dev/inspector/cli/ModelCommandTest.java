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

    /**
     * At 80 columns a long statement, observation or source list goes on in the statement's column: after the table's
     * heading, a line is a topic's first line (it starts in column 0 with a word) or indented to that column.
     */
    @Test
    void atEightyColumnsWrappedLinesStayInTheirColumn() {
        Cli.Result r = Cli.run("model", "self", "--color=never", "--width", "80");
        assertTrue(r.code() == 0 || r.code() == ExitCodes.CLAIM_DIFFERS, r.err());
        List<String> lines = r.out().lines().toList();
        String head = lines.stream().filter(l -> l.startsWith("TOPIC")).findFirst().orElseThrow();
        int verdict = head.indexOf("VERDICT");
        int claim = head.indexOf("CLAIM");
        int column = head.indexOf("STATEMENT");
        int wrapped = 0;
        for (String l : lines.subList(lines.indexOf(head) + 1, lines.size())) {
            if (l.isEmpty() || l.startsWith("summary:")) {
                break;
            }
            assertTrue(l.length() <= 80, "wider than 80: " + l);
            // a topic's first line: its verdict word and claim id (or -) in their columns
            boolean topic = l.length() > column && l.charAt(0) != ' '
                    && l.substring(verdict, claim).trim().matches("[a-z]+")
                    && l.substring(claim, column).trim().matches("C\\d\\d|-");
            assertTrue(topic || l.startsWith(" ".repeat(column)) && l.charAt(column) != ' ',
                    "a line neither a topic nor in the statement's column:\n" + l + "\n" + r.out());
            wrapped += topic ? 0 : 1;
        }
        assertTrue(wrapped > 0, r.out());
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
