package dev.inspector.present;

import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.diff.DiffResult;
import dev.inspector.core.diff.SnapshotDiff;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@EnabledOnOs(OS.LINUX)
@LiveTest
class WatchViewTest {

    @Test
    void theProgressLineGivesRemovedAndAddedCountsTheirRoles() {
        Snapshot a = dev.inspector.core.testing.Live.host().session((int) ProcessHandle.current().pid()).snapshot(SnapshotOptions.maps());
        List<Region> fewer = new ArrayList<>(a.regions());
        fewer.remove(0); // as if the first mapping had been unmapped
        Snapshot b = new Snapshot(a.schemaVersion(), a.toolVersion(), a.takenAt().plusMillis(1500), a.host(),
                a.process(), fewer, a.threads(), a.bases(), a.kernel(), a.rollup());
        DiffResult d = SnapshotDiff.compare(a, b);
        Line l = WatchView.progress(3, a, b, d);
        assertTrue(l.text().startsWith("point 3 (+1.500s): " + fewer.size() + " mappings (-1), 0 added, 1 removed, "),
                l.text());
        Span removed = l.spans().stream().filter(s -> s.text().endsWith(" removed")).findFirst().orElseThrow();
        assertEquals(Role.REMOVED, removed.role());
        Span added = l.spans().stream().filter(s -> s.text().endsWith(" added")).findFirst().orElseThrow();
        assertEquals(Role.PLAIN, added.role()); // nothing added: nothing to draw attention to
        assertTrue(WatchView.first(a, 42).text().startsWith("point 0: "), WatchView.first(a, 42).text());
    }

    /** A point that took torn reads to get says so; one that did not says nothing more. */
    @Test
    void aPointReadAgainAfterTornReadsSaysSo() {
        Snapshot a = dev.inspector.core.testing.Live.host().session((int) ProcessHandle.current().pid())
                .snapshot(SnapshotOptions.maps());
        DiffResult d = SnapshotDiff.compare(a, a);
        assertTrue(WatchView.progress(1, a, a, d, 2).text().endsWith(
                "; read again 2 times (torn by the target's own mapping changes)"), WatchView.progress(1, a, a, d, 2)
                .text());
        assertTrue(WatchView.first(a, 42, 1).text().endsWith("; read again 1 time (torn by the target's own mapping"
                + " changes)"));
        assertEquals(WatchView.progress(1, a, a, d).text(), WatchView.progress(1, a, a, d, 0).text());
        assertFalse(WatchView.progress(1, a, a, d, 0).text().contains("read again"));
    }
}
