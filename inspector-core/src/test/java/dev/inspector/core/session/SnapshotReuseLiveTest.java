package dev.inspector.core.session;

import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.demo.SampleProgram;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.testing.Live;
import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.testing.Samples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A refresh may take smaps over from the previous point only when the kernel shows nothing moved: checked on a
 * stopped sample (taken over, and equal to a full read made now) and after the sample touched pages (read again, and
 * equal to a full read of the stopped result). PSS is left out of the comparisons: other processes move it.
 */
@LiveTest
@EnabledOnOs(OS.LINUX)
class SnapshotReuseLiveTest {

    private static final SnapshotOptions OPTS = new SnapshotOptions(true, true, false,
            SnapshotOptions.Residency.NONE, false);

    @Test
    void unchangedSmapsAreTakenOverAndAChangeIsRead() {
        try (SampleProgram s = Samples.start("demand_paging")) {
            s.awaitStep("after_mmap_anon");
            InspectionSession session = Live.host().session(s.pid());
            // Stopped, so maps and the fault counters stay; the rollup moves only when another process maps or
            // unmaps a page this one shares (PSS). Whenever it did not move, the regions are a's own objects ...
            Snapshot a = session.snapshot(OPTS);
            Snapshot b = null;
            boolean tookOver = false;
            for (int attempt = 0; attempt < 50 && !tookOver; attempt++) {
                b = session.snapshot(OPTS, a);
                if (b.rollup().equals(a.rollup())) {
                    assertSame(a.regions(), b.regions());
                    tookOver = true;
                } else {
                    assertNotSame(a.regions(), b.regions());
                    a = b;
                }
            }
            assertTrue(tookOver, "50 reads in a row saw the rollup move: the machine is too busy to test this");
            // ... and they are what a full read says now.
            assertEquals(figures(session.snapshot(OPTS).regions()), figures(b.regions()));

            s.cont();
            s.awaitStep("after_read_first_half");
            Snapshot c = session.snapshot(OPTS, b);
            assertNotSame(b.regions(), c.regions());
            Snapshot full = session.snapshot(OPTS);
            assertEquals(figures(full.regions()), figures(c.regions()));
            assertEquals(full.rollup().rss(), c.rollup().rss());
            long rssB = b.rollup().rss();
            long rssC = c.rollup().rss();
            // The step read half of the range: resident memory grew, and the per-mapping figures show it.
            assertEquals(rssC - rssB, sum(c.regions()) - sum(b.regions()));
        }
    }

    /**
     * Each region's mapping, kind and smaps figures apart from PSS: PSS of a shared page moves whenever another
     * process maps or unmaps it (a stopped target's libc PSS moves with the rest of the machine).
     */
    private static List<String> figures(List<Region> regions) {
        return regions.stream().map(r -> {
            java.util.Map<String, Long> b = new java.util.TreeMap<>(r.smaps().bytes());
            b.keySet().removeIf(k -> k.startsWith("Pss") || k.equals("SwapPss"));
            return r.mapping() + " " + r.kind() + " " + b + " " + r.smaps().values() + " " + r.smaps().vmFlags();
        }).toList();
    }

    private static long sum(List<Region> regions) {
        long n = 0;
        for (Region r : regions) {
            n += r.smaps().rss();
        }
        return n;
    }
}
