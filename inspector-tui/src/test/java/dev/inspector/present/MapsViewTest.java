package dev.inspector.present;

import dev.inspector.core.testing.LiveTest;
import dev.inspector.core.analysis.SnapshotOptions;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Perms;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Snapshot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rows of {@code inspector maps} for a snapshot of this JVM: one per mapping, in its kind's role. */
@EnabledOnOs(OS.LINUX)
@LiveTest
class MapsViewTest {

    static Snapshot real;

    @BeforeAll
    static void snapshotThisJvm() {
        real = dev.inspector.core.testing.Live.host().session((int) ProcessHandle.current().pid()).snapshot(SnapshotOptions.maps());
    }

    static final MapsView.Filter ALL = new MapsView.Filter(Set.of(), null);

    static String hex12(long v) {
        String h = Long.toHexString(v);
        return h.length() >= 12 ? h : "0".repeat(12 - h.length()) + h;
    }

    @Test
    void oneRowPerMappingInItsKindsRoleWithTheMappingsFigures() {
        List<Block> blocks = MapsView.present(real, ALL, MapsView.Units.HUMAN);
        Table t = (Table) blocks.get(0);
        assertEquals(real.regions().size(), t.size());
        assertEquals(List.of("N", "START", "END", "SIZE", "PERM", "RSS", "PSS", "SWAP", "THP", "KIND", "NAME"),
                t.columns().stream().map(Column::header).toList());
        for (int i = 0; i < t.size(); i++) {
            Region r = real.regions().get(i);
            Mapping m = r.mapping();
            Row row = t.rowAt(i);
            assertEquals(Role.KIND, row.role());
            assertEquals(r.kind(), row.kind());
            assertEquals(Integer.toString(i + 1), row.cell(0)); // N: the line of /proc/PID/maps, as pages --mapping
            assertEquals(hex12(m.start()), row.cell(1));
            assertEquals(hex12(m.end()), row.cell(2));
            assertEquals(Format.size(m.size()), row.cell(3));
            assertEquals(m.perms().toString(), row.cell(4));
            assertEquals(Format.size(r.smaps().rss()), row.cell(5));
            assertEquals(Format.size(r.smaps().pss()), row.cell(6));
            assertEquals(Format.size(r.smaps().swap()), row.cell(7));
            assertEquals(Format.size(r.smaps().has("AnonHugePages") ? r.smaps().get("AnonHugePages") : 0),
                    row.cell(8));
            assertTrue(row.cell(9).startsWith(Kinds.name(r.kind())), row.toString());
            String name = Kinds.nameCell(m.path());
            // a mapping without a name ends after KIND: no trailing padding in the text
            assertEquals(name.isEmpty() ? 10 : 11, row.cells().size(), row.toString());
            if (!name.isEmpty()) {
                assertEquals(name, row.cell(10));
            }
        }
        Line total = (Line) blocks.get(1);
        assertEquals(Role.TOTAL, total.spans().get(0).role());
        assertTrue(total.text().startsWith("total (smaps_rollup): " + real.regions().size() + " mappings, size "),
                total.text());
    }

    @Test
    void theCheapColumnWidthsCoverEveryCell() {
        for (MapsView.Units u : MapsView.Units.values()) {
            Table t = (Table) MapsView.present(real, ALL, u).get(0);
            int[] cheap = t.widths();
            int[] measured = new int[cheap.length];
            for (int c = 0; c < measured.length; c++) {
                measured[c] = t.columns().get(c).header().length();
            }
            for (int i = 0; i < t.size(); i++) {
                List<String> cells = t.rowAt(i).cells();
                for (int c = 0; c < cells.size(); c++) {
                    measured[c] = Math.max(measured[c], cells.get(c).length());
                }
            }
            // RSS, PSS, SWAP and THP share one width, so that the usage figures line up as one block
            int usage = Math.max(Math.max(measured[5], measured[6]), Math.max(measured[7], measured[8]));
            for (int c = 5; c <= 8; c++) {
                measured[c] = usage;
            }
            for (int c = 0; c < cheap.length; c++) {
                String col = u + " " + t.columns().get(c).header();
                assertTrue(cheap[c] >= measured[c], col + ": " + cheap[c] + " < " + measured[c]);
                // human sizes keep a fixed width of 5 (the widest they get); N is as wide as the highest number
                // of the process; every other column is as wide as its widest cell
                boolean fixed = u == MapsView.Units.HUMAN && (c == 3 || c >= 5 && c <= 8);
                if (!fixed) {
                    assertEquals(measured[c], cheap[c], col);
                }
            }
        }
    }

    @Test
    void aFilterKeepsItsKindsAndTotalsWhatItShows() {
        MapsView.Filter f = new MapsView.Filter(EnumSet.of(RegionKind.TEXT, RegionKind.HEAP), "r");
        List<Block> blocks = MapsView.present(real, f, MapsView.Units.BYTES);
        Table t = (Table) blocks.get(0);
        long size = 0;
        int n = 0;
        for (Region r : real.regions()) {
            if ((r.kind() == RegionKind.TEXT || r.kind() == RegionKind.HEAP) && r.mapping().perms().read()) {
                size += r.mapping().size();
                n++;
            }
        }
        assertTrue(n > 0, "this JVM maps code");
        assertEquals(n, t.size());
        for (int i = 0; i < t.size(); i++) {
            RegionKind k = t.rowAt(i).kind();
            assertTrue(k == RegionKind.TEXT || k == RegionKind.HEAP, k.name());
        }
        assertTrue(((Line) blocks.get(1)).text().startsWith("total of shown: " + n + " mappings, size " + size + ","),
                ((Line) blocks.get(1)).text());
    }

    @Test
    void aNameFromTheTargetIsEscapedInItsCell() {
        Region first = real.regions().get(0);
        Mapping m = first.mapping();
        Mapping evil = new Mapping(m.start(), m.end(), Perms.parse("r--p"), 0, 8, 1, 42,
                MappingPath.file("/tmp/evil\u001b[31mred\nline", false));
        List<Region> regions = new ArrayList<>(real.regions());
        regions.set(0, new Region(evil, RegionKind.FILE, null, List.of(), "test", null));
        Snapshot s = new Snapshot(real.schemaVersion(), real.toolVersion(), real.takenAt(), real.host(),
                real.process(), regions, real.threads(), real.bases(), real.kernel(), real.rollup());
        Table t = (Table) MapsView.present(s, ALL, MapsView.Units.HUMAN).get(0);
        Row row = t.rowAt(0);
        assertEquals("/tmp/evil\\x1b[31mred\\nline", row.cell(10));
        assertEquals("-", row.cell(5)); // no smaps for this region: the usage cells say so
        assertFalse(String.join("", row.cells()).contains("\u001b"));
        assertNull(Style.code(Role.KIND, RegionKind.FILE)); // file mappings are drawn plain
    }

    @Test
    void withoutSmapsTheUsageColumnsAreNotThereAtAll() {
        Snapshot bare = dev.inspector.core.testing.Live.host().session((int) ProcessHandle.current().pid())
                .snapshot(SnapshotOptions.maps().withSmaps(false));
        List<Block> blocks = MapsView.present(bare, ALL, MapsView.Units.HUMAN);
        assertEquals(List.of("N", "START", "END", "SIZE", "PERM", "KIND", "NAME"),
                ((Table) blocks.get(0)).columns().stream().map(Column::header).toList());
        String total = ((Line) blocks.get(1)).text();
        assertTrue(total.matches("total: \\d+ mappings, size \\S+"), total);
    }

    @Test
    void sortingByAColumnKeepsEveryRowAndItsNumber() {
        Table t = (Table) MapsView.present(real, ALL, MapsView.Units.BYTES,
                new MapsView.Order(MapsView.Sort.RSS, false)).get(0);
        assertEquals(real.regions().size(), t.size());
        long previous = Long.MAX_VALUE;
        java.util.Set<String> numbers = new java.util.HashSet<>();
        for (int i = 0; i < t.size(); i++) {
            Row row = t.rowAt(i);
            long rss = Long.parseLong(row.cell(5));
            assertTrue(rss <= previous, "largest RSS first: " + rss + " after " + previous);
            previous = rss;
            Region r = real.regions().get(Integer.parseInt(row.cell(0)) - 1);
            assertEquals(r.smaps().rss(), rss, "N still names the mapping's line");
            numbers.add(row.cell(0));
        }
        assertEquals(t.size(), numbers.size());
        Table byName = (Table) MapsView.present(real, ALL, MapsView.Units.BYTES,
                new MapsView.Order(MapsView.Sort.START, true)).get(0);
        assertEquals(Integer.toString(real.regions().size()), byName.rowAt(0).cell(0), "--reverse: highest first");
    }

    @Test
    void aSummaryByKindAddsUpToTheTable() {
        List<Block> blocks = MapsView.summary(real, ALL, MapsView.Units.BYTES, MapsView.Summary.KIND,
                MapsView.Order.natural());
        Table t = (Table) blocks.get(0);
        long count = 0;
        long rss = 0;
        long size = 0;
        java.util.Map<RegionKind, long[]> expected = new java.util.EnumMap<>(RegionKind.class);
        for (Region r : real.regions()) {
            long[] e = expected.computeIfAbsent(r.kind(), k -> new long[3]);
            e[0]++;
            e[1] += r.mapping().size();
            e[2] += r.smaps().rss();
        }
        for (int i = 0; i < t.size(); i++) {
            Row row = t.rowAt(i);
            RegionKind k = Kinds.parse(row.cell(row.cells().size() - 1));
            assertEquals(expected.get(k)[0], Long.parseLong(row.cell(0)), k.label());
            assertEquals(expected.get(k)[1], Long.parseLong(row.cell(1)), k.label());
            assertEquals(expected.get(k)[2], Long.parseLong(row.cell(2)), k.label());
            count += Long.parseLong(row.cell(0));
            size += Long.parseLong(row.cell(1));
            rss += Long.parseLong(row.cell(2));
        }
        assertEquals(expected.size(), t.size());
        assertEquals(real.regions().size(), count);
        assertTrue(((Line) blocks.get(1)).text().startsWith("total of " + t.size() + " kinds: " + count
                + " mappings, size " + size + ", rss " + rss + ","), ((Line) blocks.get(1)).text());
    }

    @Test
    void onAnEightyColumnScreenEveryLineFitsAndWhatWasLeftOutIsNamed() {
        java.io.StringWriter w = new java.io.StringWriter();
        new TextRenderer(Style.plain(), 80).render(MapsView.present(real, ALL, MapsView.Units.HUMAN),
                new java.io.PrintWriter(w));
        List<String> lines = w.toString().lines().toList();
        for (String l : lines) {
            assertTrue(l.length() <= 80, l.length() + ": " + l);
        }
        assertTrue(lines.get(0).matches(" *N  START +SIZE  PERM +RSS .*KIND +NAME"), lines.get(0));
        assertTrue(lines.get(lines.size() - 1).startsWith("(END, "), lines.get(lines.size() - 1));
        assertTrue(lines.stream().anyMatch(l -> l.contains("\u2026")), "a cut cell shows the mark");
    }
}
