package dev.inspector.present;

import dev.inspector.core.diff.Aspect;
import dev.inspector.core.diff.DiffOptions;
import dev.inspector.core.diff.DiffResult;
import dev.inspector.core.diff.RegionChange;
import dev.inspector.core.diff.SnapshotDiff;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.Perms;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.model.Snapshot;
import dev.inspector.core.testing.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The diff text on a captured process's snapshot (the {@code tricky} fixture tree) and edits of it that mirror what the
 * kernel does (munmap, mprotect of a part, a heap that grew), so each row's wording can be checked against the edit
 * the test made.
 */
class DiffViewTest {

    static Snapshot real;

    @BeforeAll
    static void snapshotOfACapturedProcess() {
        real = Fixtures.snapshot("tricky");
    }

    static String print(DiffResult d, DiffView.Options o, Style style) {
        StringWriter w = new StringWriter();
        new TextRenderer(style).render(DiffView.present(d, o), new PrintWriter(w));
        return w.toString();
    }

    static Snapshot with(List<Region> regions, Instant at) {
        return new Snapshot(real.schemaVersion(), real.toolVersion(), at, real.host(), real.process(), regions,
                real.threads(), real.bases(), real.kernel(), real.rollup());
    }

    /** The region moved to {@code m}; smaps dropped, since the kernel would count a moved part's pages anew. */
    static Region at(Region r, Mapping m) {
        return new Region(m, r.kind(), r.owner(), r.sections(), r.evidence(), r.tid(), null, r.residency(), r.pages());
    }

    /** The first private writable anonymous region of at least 3 pages (the captured program maps several). */
    static int anonIndex() {
        for (int i = 0; i < real.regions().size(); i++) {
            Mapping m = real.regions().get(i).mapping();
            if (m.path().type() == dev.inspector.core.model.MappingPath.Type.ANONYMOUS && m.perms().write()
                    && m.size() >= 3L * real.host().pageSize()) {
                return i;
            }
        }
        throw new AssertionError("no anonymous region in the captured tree");
    }

    @Test
    void sameSnapshotHasNoRowsAndSaysSo() {
        String text = print(SnapshotDiff.compare(real, real), DiffView.Options.defaults(), Style.plain());
        assertTrue(text.contains("\nno mapping changed\n"), text);
        assertTrue(text.contains("bases: none moved"), text);
        assertTrue(text.contains("faults: minor 0, major 0; threads "), text);
    }

    @Test
    void removalAndSplitAreNamedWithRangesAndPermissions() {
        int ai = anonIndex();
        int goneIndex = ai == 0 ? 1 : 0;
        Region gone = real.regions().get(goneIndex);
        Region anon = real.regions().get(ai);
        Mapping m = anon.mapping();
        long ps = real.host().pageSize();
        // munmap of one region, and mprotect of the middle page of another to read-only: the kernel splits that VMA
        Perms ro = Perms.parse("r--p");
        Mapping lo = new Mapping(m.start(), m.start() + ps, m.perms(), m.offset(), m.devMajor(), m.devMinor(), m.inode(), m.path());
        Mapping mid = new Mapping(m.start() + ps, m.start() + 2 * ps, ro, m.offset(), m.devMajor(), m.devMinor(), m.inode(), m.path());
        Mapping hi = new Mapping(m.start() + 2 * ps, m.end(), m.perms(), m.offset(), m.devMajor(), m.devMinor(), m.inode(), m.path());
        List<Region> after = new ArrayList<>();
        for (int i = 0; i < real.regions().size(); i++) {
            if (i == ai) {
                after.addAll(List.of(at(anon, lo), at(anon, mid), at(anon, hi)));
            } else if (i != goneIndex) {
                after.add(real.regions().get(i));
            }
        }
        DiffResult d = SnapshotDiff.compare(real, with(after, real.takenAt().plusMillis(1500)));
        String text = print(d, DiffView.Options.defaults(), Style.plain());
        List<String> lines = text.lines().collect(Collectors.toList());
        String removed = lines.stream().filter(l -> l.startsWith("removed ")).findFirst().orElseThrow(() -> new AssertionError(text));
        assertTrue(removed.contains(Format.addr(gone.mapping().start()) + "-" + Format.addr(gone.mapping().end())), removed);
        assertTrue(removed.contains(" " + Format.delta(-gone.mapping().size()) + " "), removed);
        String split = lines.stream().filter(l -> l.startsWith("split,perms ")).findFirst().orElseThrow(() -> new AssertionError(text));
        assertTrue(split.contains(Format.addr(m.start()) + "-" + Format.addr(m.end()) + " (3)"), split);
        assertTrue(split.contains(m.perms() + "\u2192" + m.perms() + ",r--p," + m.perms()), split);
        assertTrue(text.contains("(1.500s later)"), text);
        assertEquals("607ms earlier", DiffView.elapsed(java.time.Duration.ofMillis(-607)));
        assertEquals("10m 7.6s later", DiffView.elapsed(java.time.Duration.ofMillis(607_637)));
        assertEquals("2h 5m later", DiffView.elapsed(java.time.Duration.ofMinutes(125).plusSeconds(59)));
        assertEquals("3d 1h earlier", DiffView.elapsed(java.time.Duration.ofHours(-73)));
        assertTrue(text.contains("total: " + real.regions().size() + " \u2192 " + (real.regions().size() + 1)
                + " mappings (+1)"), text);

        // colours: removed red, changed yellow, only with an ANSI style
        String coloured = print(d, DiffView.Options.defaults(), Style.ansi());
        assertTrue(coloured.contains("\u001b[" + Style.RED + "mremoved "), coloured);
        assertTrue(coloured.contains("\u001b[" + Style.YELLOW + "msplit,perms "), coloured);
        assertFalse(text.contains("\u001b"));
    }

    @Test
    void growthShowsTheDirectionOfTheEdgeThatMoved() {
        Region r = real.regions().get(anonIndex());
        Mapping m = r.mapping();
        long ps = real.host().pageSize();
        Mapping up = new Mapping(m.start(), m.end() + ps, m.perms(), m.offset(), m.devMajor(), m.devMinor(), m.inode(), m.path());
        Mapping down = new Mapping(m.start() - ps, m.end(), m.perms(), m.offset(), m.devMajor(), m.devMinor(), m.inode(), m.path());
        RegionChange grewUp = new RegionChange(EnumSet.of(Aspect.GREW_UP), "x", List.of(r), List.of(at(r, up)), 0, null, null);
        RegionChange grewDown = new RegionChange(EnumSet.of(Aspect.GREW_DOWN), "x", List.of(r), List.of(at(r, down)), 0, null, null);
        assertEquals(Format.delta(ps) + " \u2191", DiffView.size(grewUp));
        assertEquals(Format.delta(ps) + " \u2193", DiffView.size(grewDown));
        assertEquals("grew-up", DiffView.aspects(grewUp));
        RegionChange shrank = new RegionChange(EnumSet.of(Aspect.SHRANK_AT_TOP), "x", List.of(at(r, up)), List.of(r), 0, null, null);
        assertEquals(Format.delta(-ps) + " \u2193", DiffView.size(shrank));
        assertEquals("shrank-top", DiffView.aspects(shrank));
    }

    @Test
    void smallUsageChangesAreCountedUnlessAll() {
        Region r = real.regions().get(anonIndex());
        Smaps s = r.smaps();
        RegionChange small = new RegionChange(EnumSet.of(Aspect.USAGE), "x", List.of(r), List.of(r), 0,
                new dev.inspector.core.diff.Usage(s.rss(), s.pss(), 0),
                new dev.inspector.core.diff.Usage(s.rss() + 4096, s.pss() + 4096, 0));
        RegionChange big = new RegionChange(EnumSet.of(Aspect.USAGE), "x", List.of(r), List.of(r), 0,
                new dev.inspector.core.diff.Usage(s.rss(), s.pss(), 0),
                new dev.inspector.core.diff.Usage(s.rss() + DiffView.Options.DEFAULT_THRESHOLD, s.pss(), 0));
        RegionChange details = new RegionChange(EnumSet.of(Aspect.DETAILS), "x", List.of(r), List.of(r), 0, null, null);
        DiffView.Options def = DiffView.Options.defaults();
        assertFalse(DiffView.shown(small, def));
        assertTrue(DiffView.shown(big, def));
        assertFalse(DiffView.shown(details, def));
        DiffView.Options all = new DiffView.Options(true, DiffView.Options.DEFAULT_THRESHOLD);
        assertTrue(DiffView.shown(small, all) && DiffView.shown(details, all));
    }

    @Test
    void byModuleListsModulesWithTheirShift() {
        DiffResult d = SnapshotDiff.compare(real, real, DiffOptions.byModule());
        String text = print(d, DiffView.Options.defaults(), Style.plain());
        assertTrue(text.contains("mappings matched by module"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("MODULE ")), text);
        assertTrue(text.lines().anyMatch(l -> l.contains("libc.so.6") && l.endsWith("+0x0")), text);
    }

    @Test
    void rowsCarryWhatHappenedAsTheirRole() {
        Region r = real.regions().get(anonIndex());
        Mapping m = r.mapping();
        long ps = real.host().pageSize();
        Mapping up = new Mapping(m.start(), m.end() + ps, m.perms(), m.offset(), m.devMajor(), m.devMinor(), m.inode(), m.path());
        Mapping ro = new Mapping(m.start(), m.end(), Perms.parse("r--p"), m.offset(), m.devMajor(), m.devMinor(), m.inode(), m.path());
        List<RegionChange> changes = List.of(
                new RegionChange(EnumSet.of(Aspect.ADDED), "x", List.of(), List.of(r), 0, null, null),
                new RegionChange(EnumSet.of(Aspect.REMOVED), "x", List.of(r), List.of(), 0, null, null),
                new RegionChange(EnumSet.of(Aspect.GREW_UP), "x", List.of(r), List.of(at(r, up)), 0, null, null),
                new RegionChange(EnumSet.of(Aspect.SHRANK_AT_TOP), "x", List.of(at(r, up)), List.of(r), 0, null, null),
                new RegionChange(EnumSet.of(Aspect.PERMS), "x", List.of(r), List.of(at(r, ro)), 0, null, null));
        Table t = DiffView.table(changes);
        assertEquals(List.of(Role.ADDED, Role.REMOVED, Role.GROWN, Role.SHRUNK, Role.CHANGED),
                java.util.stream.IntStream.range(0, t.size()).mapToObj(i -> t.rowAt(i).role()).collect(Collectors.toList()));
        assertEquals(List.of("added", "removed", "grew-up", "shrank-top", "perms"),
                java.util.stream.IntStream.range(0, t.size()).mapToObj(i -> t.rowAt(i).cell(0)).collect(Collectors.toList()));
        assertEquals("-", t.rowAt(0).cell(1)); // nothing before an addition
        assertEquals(m.perms() + "\u2192r--p", t.rowAt(4).cell(4));
    }
}
