package dev.inspector.tui;

import com.googlecode.lanterna.input.KeyType;
import dev.inspector.core.diff.SnapshotDiff;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Snapshot;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.inspector.tui.TuiFixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The screen model without a terminal: keys in, selection, rows, marks and effects out. */
class MapModelTest {

    /** The [heap] line's start, read from the fixture's maps text itself (not through the parser under test). */
    private static long heapStartFromMapsText() throws IOException {
        Path maps;
        try (var s = Files.list(TuiFixtures.trickyRoot())) {
            maps = s.filter(p -> p.getFileName().toString().matches("\\d+")).findFirst().orElseThrow().resolve("maps");
        }
        for (String line : Files.readAllLines(maps)) {
            if (line.endsWith("[heap]")) {
                return Long.parseUnsignedLong(line.substring(0, line.indexOf('-')), 16);
            }
        }
        throw new AssertionError("no [heap] in the fixture");
    }

    @Test
    void firstPointSelectsTheHeapAndKeysMoveTheSelection() throws IOException {
        MapModel m = TuiFixtures.model(100, 30, false);
        assertEquals(heapStartFromMapsText(), m.selectedRegion().mapping().start());
        int heapRow = m.selected();
        m.key(key(KeyType.ArrowDown));
        assertEquals(heapRow + 1, m.selected());
        m.key(key(KeyType.Home));
        assertEquals(0, m.selected());
        assertEquals(0, m.scroll());
        m.key(key(KeyType.PageDown));
        assertEquals(m.layout().tableRows(), m.selected(), "PgDn moves by the rows the table shows");
        m.key(key(KeyType.End));
        assertEquals(m.rows().size() - 1, m.selected());
        assertTrue(m.scroll() <= m.selected() && m.selected() < m.scroll() + m.layout().tableRows(),
                "the selection stays in view");
    }

    /** A refresh error or a message quoting the target's text reaches the status line with its controls escaped. */
    @Test
    void failuresAndMessagesFromTheTargetAreEscaped() {
        MapModel m = TuiFixtures.model(100, 30, false);
        m.failed("malformed /proc/1/maps line 3: 'x \u001b]0;owned\u0007 /tmp/a\nb'");
        assertFalse(m.failure().chars().anyMatch(c -> c < 0x20 || c == 0x7f), m.failure());
        assertTrue(m.failure().contains("\\x1b]0;owned\\x07"), m.failure());
        m.message("no heat map for this mapping: \u009b2J", Paint.MUTED);
        assertFalse(m.messageText().chars().anyMatch(c -> c < 0x20 || (c >= 0x7f && c < 0xa0)), m.messageText());
    }

    @Test
    void theSelectionFollowsItsMappingWhenRowsAreAddedAboveIt() {
        MapModel m = TuiFixtures.model(100, 30, false);
        m.key(key(KeyType.End)); // [vsyscall] or the stack: above the added mapping
        long start = m.selectedRegion().mapping().start();
        int before = m.selected();
        Snapshot a = TuiFixtures.tricky();
        Snapshot b = TuiFixtures.changed(a);
        m.frame(Frame.live(b, SnapshotDiff.compare(a, b), null, TuiFixtures.stats(1)));
        assertEquals(start, m.selectedRegion().mapping().start());
        // One mapping added below it and one removed below it: the same row index; the start is what must hold.
        assertTrue(Math.abs(m.selected() - before) <= 1);
    }

    @Test
    void changesAreMarkedAndRemovedMappingsFadeAfterThreeRefreshes() {
        MapModel m = TuiFixtures.model(100, 30, true);
        Snapshot a = TuiFixtures.tricky();
        Snapshot b = TuiFixtures.changed(a);
        Region heap = TuiFixtures.first(b, RegionKind.HEAP);
        MapModel.Row heapRow = row(m, heap.mapping().start());
        assertEquals(Highlights.Change.GREW_UP, heapRow.mark().change(), "[heap]'s end moved up");
        assertEquals(16384, heapRow.mark().rssDelta());
        long added = addedStart(a, b);
        assertEquals(Highlights.Change.ADDED, row(m, added).mark().change());
        long ghosts = m.rows().stream().filter(MapModel.Row::removed).count();
        assertEquals(1, ghosts, "the memfd mapping stays as a removed row");
        for (int i = 2; i <= Highlights.FADE; i++) {
            m.frame(Frame.live(b, SnapshotDiff.compare(b, b), null, TuiFixtures.stats(i)));
            assertEquals(1, m.rows().stream().filter(MapModel.Row::removed).count(), "still shown at point " + i);
        }
        m.frame(Frame.live(b, SnapshotDiff.compare(b, b), null, TuiFixtures.stats(Highlights.FADE + 1)));
        assertEquals(0, m.rows().stream().filter(MapModel.Row::removed).count(), "faded after " + Highlights.FADE);
        assertNull(row(m, added).mark(), "marks fade too");
    }

    @Test
    void filterSortSearchAndGoTo() {
        MapModel m = TuiFixtures.model(100, 30, false);
        int all = m.rows().size();
        type(m, '\\', "kind:file perm:s");
        m.key(key(KeyType.Enter));
        assertFalse(m.rows().isEmpty());
        assertTrue(m.rows().stream().allMatch(r -> r.region().kind() == RegionKind.FILE
                && r.region().mapping().perms().shared()));
        type(m, '\\', "");
        // Clear: the prompt starts with the current text; erase it.
        for (int i = 0; i < "kind:file perm:s".length(); i++) {
            m.key(key(KeyType.Backspace));
        }
        m.key(key(KeyType.Enter));
        assertEquals(all, m.rows().size());
        m.key(key('>')); // START -> SIZE, largest first
        assertEquals(MapModel.SortKey.SIZE, m.sort());
        long prev = Long.MAX_VALUE;
        for (MapModel.Row r : m.rows()) {
            assertTrue(r.region().mapping().size() <= prev, "sorted by size, largest first");
            prev = r.region().mapping().size();
        }
        m.key(key('I'));
        assertTrue(m.rows().get(0).region().mapping().size() <= m.rows().get(m.rows().size() - 1).region().mapping()
                .size(), "I inverts");
        m.key(key('<'));
        assertEquals(MapModel.SortKey.ADDRESS, m.sort());
        type(m, '/', "libc");
        assertTrue(m.selectedRegion().mapping().path().kernelText().contains("libc"), "search selects as you type");
        m.key(key(KeyType.Enter));
        long first = m.selectedRegion().mapping().start();
        m.key(key('n'));
        assertTrue(Long.compareUnsigned(m.selectedRegion().mapping().start(), first) > 0, "n: the next match");
        Region heap = TuiFixtures.first(TuiFixtures.tricky(), RegionKind.HEAP);
        type(m, 'g', Long.toHexString(heap.mapping().start() + 5));
        m.key(key(KeyType.Enter));
        assertEquals(heap.mapping().start(), m.selectedRegion().mapping().start());
        type(m, 'g', "10");
        m.key(key(KeyType.Enter));
        assertTrue(m.messageText().contains("not in any"), m.messageText());
    }

    @Test
    void keysAskForEffectsAndNeverActThemselves() {
        MapModel m = TuiFixtures.model(100, 30, false);
        assertEquals(List.of(new Effect.Pause(true)), m.key(key(' ')));
        assertEquals(List.of(new Effect.Pause(false)), m.key(key(' ')));
        assertEquals(List.of(new Effect.RefreshNow()), m.key(key('r')));
        assertEquals(List.of(new Effect.SetInterval(Duration.ofMillis(500))), m.key(key('+')));
        assertEquals(List.of(new Effect.SetInterval(Duration.ofSeconds(1))), m.key(key('-')));
        List<Effect> b = m.key(key('b'));
        assertInstanceOf(Effect.Baseline.class, b.get(0));
        assertTrue(((Effect.Baseline) b.get(0)).set());
        assertNotNull(m.baseline());
        assertTrue(m.marks().baseline());
        assertFalse(((Effect.Baseline) m.key(key('b')).get(0)).set(), "b again clears it");
        m.key(key('s'));
        assertEquals(MapModel.PromptKind.SAVE, m.prompt());
        assertTrue(m.promptText().startsWith("inspector-" + TuiFixtures.tricky().process().pid() + "-"));
        List<Effect> save = m.key(key(KeyType.Enter));
        assertInstanceOf(Effect.Save.class, save.get(0));
        assertEquals(List.of(new Effect.Quit(0)), m.key(key('q')));
        assertEquals(List.of(new Effect.Quit(130)), m.key(new com.googlecode.lanterna.input.KeyStroke('c', true,
                false)));
        m.key(key('?'));
        assertEquals(MapModel.Overlay.HELP, m.overlay());
        m.key(key(KeyType.Escape));
        assertEquals(MapModel.Overlay.NONE, m.overlay());
    }

    @Test
    void theHeatMapIsAskedForOnSelectionAndZoomAndEnterTranslatesTheCursorsCell() {
        MapModel m = new MapModel(MapModel.Mode.LIVE, "t", Duration.ofSeconds(1));
        m.resize(100, 30);
        Snapshot a = TuiFixtures.tricky();
        List<Effect> first = m.frame(Frame.live(a, null, null, TuiFixtures.stats(0)));
        Effect.LoadDetail d = (Effect.LoadDetail) first.get(0);
        Region heap = TuiFixtures.first(a, RegionKind.HEAP);
        assertEquals(heap.mapping(), d.mapping());
        assertEquals(heap.mapping(), d.window(), "unzoomed: the whole mapping");
        long pages = heap.mapping().size() / 4096;
        assertEquals(Math.min(pages, m.layout().heatCells()), d.cells());
        // Answer it as the worker would: a heat map of the window.
        var h = new dev.inspector.core.residency.HeatMap(d.window().start(), d.window().end(), d.cells(), 4096);
        m.detail(new Detail(d.generation(), d.mapping(), d.window(), HeatSource.of(h), null, "test", "test", null,
                null, null));
        assertNotNull(m.heat());
        m.key(key(KeyType.Enter));
        assertEquals(MapModel.Focus.HEAT, m.focus());
        m.key(key(KeyType.ArrowRight));
        m.key(key(KeyType.ArrowRight));
        List<Effect> t = m.key(key(KeyType.Enter));
        assertEquals(new Effect.Translate(heap.mapping().start() + 2 * 4096), t.get(0),
                "the third cell of a one-page-per-cell map is the third page");
        m.key(key(KeyType.Escape));
        assertEquals(MapModel.Focus.TABLE, m.focus());
        // A stale answer (older generation) is dropped.
        m.key(key(KeyType.ArrowDown));
        m.detail(new Detail(d.generation(), d.mapping(), d.window(), HeatSource.of(h), null, "x", "x", null, null,
                null));
        assertNull(m.heat(), "the answer was for the previous selection");
    }

    @Test
    void zoomNarrowsTheWindowToWholePagesPerCell() {
        MapModel m = new MapModel(MapModel.Mode.LIVE, "t", Duration.ofSeconds(1));
        m.resize(80, 24); // 2 heat rows of 59 cells
        Snapshot a = TuiFixtures.tricky();
        m.frame(Frame.live(a, null, null, TuiFixtures.stats(0)));
        // The largest mapping of the fixture, so that the fit needs several pages per cell.
        Region big = a.regions().stream().max((x, y) -> Long.compare(x.mapping().size(), y.mapping().size()))
                .orElseThrow();
        type(m, 'g', Long.toHexString(big.mapping().start()));
        m.key(key(KeyType.Enter));
        long fit = m.pagesPerCell();
        assertTrue(fit > 1, "fit: " + fit);
        List<Effect> z = m.key(key('z'));
        long ppc = m.pagesPerCell();
        assertTrue(ppc < fit && Long.bitCount(ppc) == 1, "zoom in: a power of two below the fit, got " + ppc);
        Effect.LoadDetail d = (Effect.LoadDetail) z.get(0);
        assertEquals(d.cells() * ppc * 4096, d.window().size(), "the window is cells x pages per cell");
        assertTrue(m.zoomed());
        while (m.zoomed()) {
            m.key(key('Z'));
        }
        assertEquals(fit, m.pagesPerCell(), "zooming out ends at the fit");
    }

    @Test
    void aTerminalBelow80x24IsTooSmall() {
        MapModel m = TuiFixtures.model(79, 24, false);
        assertTrue(m.layout().tooSmall());
        assertTrue(m.key(key(KeyType.ArrowDown)).isEmpty() || true);
        m.resize(80, 24);
        assertFalse(m.layout().tooSmall());
    }

    @Test
    void replayKeysStepAndPlay() {
        MapModel m = new MapModel(MapModel.Mode.REPLAY, "t.ndjson", Duration.ofSeconds(1));
        m.resize(100, 30);
        Snapshot a = TuiFixtures.tricky();
        m.frame(new Frame(a, null, null, null, 0, 3));
        assertEquals(List.of(new Effect.Step(1, false)), m.key(key(']')));
        assertEquals(List.of(new Effect.Step(-1, false)), m.key(key('[')));
        assertEquals(List.of(new Effect.Step(-1, true)), m.key(key('}')));
        assertEquals(List.of(new Effect.Step(0, true)), m.key(key('{')));
        assertEquals(List.of(new Effect.Play(true)), m.key(key(' ')));
        type(m, 'j', "2");
        assertEquals(List.of(new Effect.Step(2, true)), m.key(key(KeyType.Enter)));
        assertTrue(m.key(key('r')).isEmpty(), "nothing to refresh in a replay");
    }

    @Test
    void filterWordsKindsAndPermissionsParse() {
        MapModel.Filter f = MapModel.Filter.parse("kind:heap,thread-stack perm:w libc");
        assertEquals(java.util.Set.of(RegionKind.HEAP, RegionKind.THREAD_STACK), f.kinds());
        assertEquals("w", f.perms());
        assertEquals(List.of("libc"), f.words());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MapModel.Filter.parse("kind:nonsense"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> MapModel.Filter.parse("perm:q"));
    }

    private static void type(MapModel m, char open, String text) {
        m.key(key(open));
        for (char c : text.toCharArray()) {
            m.key(key(c));
        }
    }

    private static MapModel.Row row(MapModel m, long start) {
        for (MapModel.Row r : m.rows()) {
            if (!r.removed() && r.region().mapping().start() == start) {
                return r;
            }
        }
        throw new AssertionError("no row at 0x" + Long.toHexString(start));
    }

    private static long addedStart(Snapshot a, Snapshot b) {
        java.util.Set<Long> before = new java.util.HashSet<>();
        for (Region r : a.regions()) {
            before.add(r.mapping().start());
        }
        for (Region r : b.regions()) {
            if (r.kind() == RegionKind.ANONYMOUS && !before.contains(r.mapping().start())) {
                return r.mapping().start();
            }
        }
        throw new AssertionError("nothing added");
    }

    /**
     * The demo's runner knows its sample's status; the live view reading /proc does not. Whichever arrives last, the
     * known status stays; a guess for another process, or a second known status, still replaces it; follow() clears.
     */
    @Test
    void aKnownExitStatusIsNeverReplacedByAGuess() {
        MapModel m = TuiFixtures.model(100, 30, false);
        java.time.Instant t = java.time.Instant.now();
        dev.inspector.core.session.TargetExit known = new dev.inspector.core.session.TargetExit(42, t, 0,
                "exited with status 0", false);
        m.exited(known);
        m.exited(dev.inspector.core.session.TargetExit.unknown(42, t));
        assertEquals(known, m.exit());
        m.exited(dev.inspector.core.session.TargetExit.unknown(43, t));
        assertEquals(43, m.exit().pid());
        m.follow();
        assertNull(m.exit());
        m.exited(dev.inspector.core.session.TargetExit.unknown(42, t));
        m.exited(known);
        assertEquals(known, m.exit());
    }
}
