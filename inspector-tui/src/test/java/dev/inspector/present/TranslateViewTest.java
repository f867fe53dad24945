package dev.inspector.present;

import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.residency.AddressTranslation;
import dev.inspector.core.residency.AddressTranslation.Outcome;
import dev.inspector.core.residency.AddressTranslation.Result;
import dev.inspector.core.model.HostInfo;
import dev.inspector.core.procfs.HostFacts;
import dev.inspector.core.procfs.ProcFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnabledOnOs(OS.LINUX)
@LiveTest
class TranslateViewTest {

    @Test
    void labelledLinesWithTheLabelInItsRoleAndContinuationsPlain() {
        HostInfo host = new HostFacts(ProcFs.system()).basic();
        long va = 0x1234567890abcdefL; // bits 63..47 are not copies of bit 47 with 4 or 5 levels
        Result r = new Result(7, AddressTranslation.split(va, host.pagingLevels()), Outcome.NON_CANONICAL,
                "bits differ \u001b[2J", null, null, -1, null, null, 0, null, 0, null, null, -1, -1, null, 0, null,
                null, null, null, null, null);
        List<Block> blocks = TranslateView.present(r, host);
        List<Line> lines = blocks.stream().map(b -> (Line) b).toList();
        Line first = lines.get(0);
        assertEquals(Role.LABEL, first.spans().get(0).role());
        assertEquals("address     ", first.spans().get(0).text());
        assertTrue(first.text().startsWith("address      0x1234567890abcdef in pid 7 (" + host.pagingLevels()
                + "-level paging"), first.text());
        assertTrue(lines.get(1).text().startsWith("canonical    no: bits 63.."), lines.get(1).text());
        assertTrue(lines.get(2).text().startsWith("page walk    PGD["), lines.get(2).text());
        // the bit-field line continues the walk: no label, drawn plain
        assertEquals(Role.PLAIN, lines.get(3).spans().get(0).role());
        assertTrue(lines.get(3).text().startsWith("             bits 63-"), lines.get(3).text());
        Line result = lines.get(lines.size() - 1);
        assertEquals("result       non canonical: bits differ \\x1b[2J", result.text());
    }
}
