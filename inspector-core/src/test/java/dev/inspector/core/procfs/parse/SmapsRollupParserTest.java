package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmapsRollupParserTest {

    @Test
    void headerThenFields() {
        Smaps s = SmapsRollupParser.parse(MapsParserTest.padded("55bc435ae000-7ffc92aa1000 ---p 00000000 00:00 0",
                "[rollup]") + "\nRss:                1736 kB\nPss:                 399 kB\nPss_Anon:  116 kB\n", "r");
        assertEquals(1736 * 1024, s.rss());
        assertEquals(116 * 1024, s.get("Pss_Anon"));
        assertNull(s.vmFlags());
    }

    @Test
    void rejectsWhatIsNotARollup() {
        assertThrows(MalformedProcFile.class, () -> SmapsRollupParser.parse("", "r"));
        assertThrows(MalformedProcFile.class, () -> SmapsRollupParser.parse("Rss: 4 kB\n", "r"));
        assertThrows(MalformedProcFile.class, () -> SmapsRollupParser.parse(
                "1000-2000 ---p 00000000 00:00 0 [rollup]\nRss: 4 kB\n2000-3000 ---p 00000000 00:00 0\n", "r"));
        assertThrows(MalformedProcFile.class, () -> SmapsRollupParser.parse(
                "1000-2000 ---p 00000000 00:00 0 [rollup]\nVmFlags: rd\n", "r"));
    }

    /** The captured sleep process: every field the rollup shares with smaps equals the per-record sum. */
    @Test
    void capturedRollupMatchesSummedSmapsForExactCounters() throws IOException {
        var dir = Fixtures.pidDir("sleep");
        byte[] r = Files.readAllBytes(dir.resolve("smaps_rollup"));
        Smaps rollup = SmapsRollupParser.parse(r, r.length, "smaps_rollup");
        byte[] sm = Files.readAllBytes(dir.resolve("smaps"));
        List<SmapsRecord> recs = SmapsParser.parse(sm, sm.length, "smaps");
        for (String key : new String[] {"Rss", "Anonymous", "Private_Dirty", "Swap", "Locked", "AnonHugePages"}) {
            long sum = recs.stream().mapToLong(x -> x.smaps().get(key)).sum();
            assertEquals(rollup.get(key), sum, key);
        }
        long pssSum = recs.stream().mapToLong(x -> x.smaps().pss()).sum();
        // Each record's Pss is truncated to whole kB; the rollup truncates once (fs/proc/task_mmu.c).
        assertTrue(rollup.pss() >= pssSum && rollup.pss() - pssSum < recs.size() * 1024L,
                "rollup Pss " + rollup.pss() + " vs summed " + pssSum);
    }
}
