package dev.inspector.core.json;

import dev.inspector.core.testing.LiveTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inspector.core.residency.AddressTranslation;
import dev.inspector.core.residency.AddressTranslation.Outcome;
import dev.inspector.core.residency.AddressTranslation.Result;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.procfs.HostFacts;
import dev.inspector.core.procfs.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnabledOnOs(OS.LINUX)
@LiveTest
class TranslateJsonTest {

    @Test
    void aNonCanonicalAddressHasItsSplitAndNoMapping() throws Exception {
        HostInfo host = new HostFacts(ProcFs.system()).basic();
        long va = 0x1234567890abcdefL;
        Result r = new Result(7, AddressTranslation.split(va, host.pagingLevels()), Outcome.NON_CANONICAL, "why",
                null, null, -1, null, null, 0, null, 0, null, null, -1, -1, null, 0, null, null, null, null, null,
                null);
        StringWriter w = new StringWriter();
        TranslateJson.write(r, host, new PrintWriter(w));
        String text = w.toString();
        assertTrue(text.startsWith("{\n  \"pid\" : 7,\n  \"address\" : \"0x1234567890abcdef\",\n"), text);
        JsonNode o = new ObjectMapper().readTree(text);
        assertEquals("NON_CANONICAL", o.get("outcome").asText());
        assertFalse(o.get("canonical").asBoolean());
        assertEquals(host.pagingLevels(), o.get("levels").size());
        assertEquals(va & 0xfff, o.get("pageOffset").asLong());
        assertFalse(o.has("mapping"));
        assertFalse(o.has("pfn"));
    }
}
