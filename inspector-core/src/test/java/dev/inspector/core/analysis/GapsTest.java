package dev.inspector.core.analysis;

import dev.inspector.core.model.Mapping;
import dev.inspector.core.procfs.ProcFs;
import dev.inspector.core.procfs.parse.MapsParser;
import dev.inspector.core.testing.LiveTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@LiveTest
class GapsTest {

    @Test
    void gapsBelowBetweenAndAboveIgnoringVsyscall() {
        List<Mapping> ms = MapsParser.parse("""
                555555554000-555555556000 r--p 00000000 fe:00 1 /usr/bin/x
                555555556000-555555557000 r-xp 00002000 fe:00 1 /usr/bin/x
                7ffff7fc3000-7ffff7fc5000 r--p 00000000 00:00 0 [vvar]
                7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 [stack]
                ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]
                """, "maps");
        List<Gaps.Gap> g = Gaps.of(ms);
        assertEquals(List.of(new Gaps.Gap(0, 0x555555554000L), new Gaps.Gap(0x555555557000L, 0x7ffff7fc3000L),
                new Gaps.Gap(0x7ffff7fc5000L, 0x7ffffffde000L)), g, "the stack ends at TASK_SIZE_MAX: no gap above");
        List<Gaps.Gap> five = Gaps.of(ms, Gaps.USER_END_5_LEVEL);
        assertEquals(new Gaps.Gap(0x7ffffffff000L, Gaps.USER_END_5_LEVEL), five.get(five.size() - 1));
        assertThrows(IllegalArgumentException.class, () -> Gaps.of(List.of(ms.get(1), ms.get(0))));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void gapsAndMappingsTileUserSpaceOfThisJvm() {
        List<Mapping> ms = ProcFs.system().maps((int) ProcessHandle.current().pid());
        List<Gaps.Gap> gaps = Gaps.of(ms);
        long mapped = 0;
        for (Mapping m : ms) {
            if (Long.compareUnsigned(m.start(), Gaps.USER_END_4_LEVEL) < 0) {
                mapped += m.size();
            }
        }
        long unmapped = 0;
        for (Gaps.Gap x : gaps) {
            assertTrue(Long.compareUnsigned(x.start(), x.end()) < 0);
            unmapped += x.size();
        }
        assertEquals(Gaps.USER_END_4_LEVEL, mapped + unmapped, "mappings and gaps cover [0, TASK_SIZE_MAX)");
    }
}
