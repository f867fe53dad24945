package dev.inspector.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.TerminalScreen;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.inspector.core.model.Region;
import dev.inspector.core.model.RegionKind;
import dev.inspector.core.model.Snapshot;
import dev.inspector.present.Format;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

import java.util.ArrayList;
import java.util.List;
import static dev.inspector.tui.TuiFixtures.key;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden screens: the map of a captured process drawn on Lanterna's virtual terminal at 100x30 and 80x24, after keys
 * and after a refresh with changes, compared with the text under src/test/resources/tui/golden (reviewed by eye when
 * written; -Dtui.golden.update=true rewrites them after a deliberate change). Each test also checks facts taken from
 * the snapshot itself, so a golden file cannot quietly hold a wrong figure.
 */
class MapScreenTest {

    private static final Palette COLOUR = Palette.colour();

    @Test
    void firstScreenAt100x30() {
        MapModel m = TuiFixtures.model(100, 30, false);
        String screen = TuiFixtures.render(m, 100, 30, COLOUR);
        TuiFixtures.assertGolden("live-100x30", screen);
        Snapshot s = TuiFixtures.tricky();
        String[] lines = screen.split("\n");
        assertTrue(lines[0].contains("pid " + s.process().pid()), lines[0]);
        assertTrue(lines[0].contains("RSS " + Format.size(s.rollup().rss())), lines[0]);
        assertTrue(lines[0].contains("PSS " + Format.size(s.rollup().pss())), lines[0]);
        assertTrue(lines[0].contains(s.regions().size() + " mappings"), lines[0]);
        Region heap = TuiFixtures.first(s, RegionKind.HEAP);
        assertTrue(screen.contains(Format.addr(heap.mapping().start())), "the selected heap's start is shown");
        assertTrue(lines[2].startsWith("VV vsyscall"), "the top of the column is the top of the address space");
        assertTrue(lines[3].contains("kernel half 128T"), lines[3]);
        assertTrue(lines[4].contains("non-canonical 16E"), lines[4]);
    }

    @Test
    void firstScreenAt80x24() {
        MapModel m = TuiFixtures.model(80, 24, false);
        String screen = TuiFixtures.render(m, 80, 24, COLOUR);
        TuiFixtures.assertGolden("live-80x24", screen);
        for (String line : screen.split("\n")) {
            assertTrue(line.length() <= 80, "nothing wider than the terminal: " + line);
        }
    }

    @Test
    void aRefreshWithChangesMarksThem() {
        MapModel m = TuiFixtures.model(100, 30, true);
        String screen = TuiFixtures.render(m, 100, 30, COLOUR);
        TuiFixtures.assertGolden("changed-100x30", screen);
        assertTrue(screen.contains("changed: grew up (its end moved higher) by 64K, rss +16K"),
                "the selected heap's change is described");
        m.key(key(KeyType.Tab));
        m.key(key(KeyType.Tab));
        String changes = TuiFixtures.render(m, 100, 30, COLOUR);
        TuiFixtures.assertGolden("changes-pane-100x30", changes);
        Snapshot a = TuiFixtures.tricky();
        Region memfd = a.regions().stream().filter(r -> r.mapping().path().isMemfd()).findFirst().orElseThrow();
        assertTrue(changes.contains("removed        " + Format.addr(memfd.mapping().start())), "the removed memfd");
        assertTrue(changes.contains("added   "), "the new mapping is listed");
    }

    @Test
    void summaryByKindTotalsAreTheRollup() {
        MapModel m = TuiFixtures.model(100, 30, false);
        m.key(key(KeyType.Tab));
        m.key(key('d')); // full height, so every kind shows
        String screen = TuiFixtures.render(m, 100, 30, COLOUR);
        TuiFixtures.assertGolden("summary-100x30", screen);
        Snapshot s = TuiFixtures.tricky();
        assertTrue(screen.contains("= smaps_rollup: rss " + Format.size(s.rollup().rss())), screen);
        Set<RegionKind> kinds = new HashSet<>();
        for (Region r : s.regions()) {
            kinds.add(r.kind());
        }
        for (RegionKind k : kinds) {
            assertTrue(screen.contains(dev.inspector.present.Kinds.name(k) + " "), "kind " + k + " listed");
        }
    }

    @Test
    void helpListsEveryKey() {
        help(100, 30);
    }

    /**
     * At 80x24 the help box is 76 columns wide: a description that does not fit wraps under its own column instead of
     * being cut.
     */
    @Test
    void helpAtEightyColumnsWrapsInsteadOfCutting() {
        help(80, 24);
    }

    /**
     * The help overlay at a size: its first page is the golden screen, and all of it, page by page, names every
     * binding with no line inside the box cut.
     */
    private static void help(int cols, int rows) {
        MapModel m = TuiFixtures.model(cols, rows, false);
        m.key(key('?'));
        String page = TuiFixtures.render(m, cols, rows, COLOUR);
        TuiFixtures.assertGolden("help-" + cols + "x" + rows, page);
        StringBuilder inside = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            for (String text : boxText(page)) {
                assertFalse(text.contains("…"), "a help line cut at " + cols + " columns: " + text);
                inside.append(text.strip()).append(' ');
            }
            m.key(key(KeyType.PageDown));
            page = TuiFixtures.render(m, cols, rows, COLOUR);
        }
        String words = inside.toString().replaceAll("\\s+", " ");
        for (Keys.Binding b : Keys.BINDINGS) {
            assertTrue(words.contains(b.help().replaceAll("\\s+", " ")), "help shows: " + b.help());
        }
    }

    /** A baseline is a mode: the header's second line says so first, where 80 columns still show it. */
    @Test
    void aBaselineIsSaidFirstInTheHeaderAtEightyColumns() {
        MapModel m = TuiFixtures.model(80, 24, false);
        assertFalse(TuiFixtures.render(m, 80, 24, COLOUR).contains("vs baseline"));
        m.key(key('b'));
        String[] lines = TuiFixtures.render(m, 80, 24, COLOUR).split("\n");
        assertTrue(lines[1].startsWith(" vs baseline " + MapModel.clock(m.baselineAt()) + " · ASLR"), lines[1]);
    }

    /** The text lines inside a popup box: between its left border (the column of its └) and its right one. */
    private static List<String> boxText(String screen) {
        String[] lines = screen.split("\n");
        int left = -1;
        for (String l : lines) {
            if (l.indexOf('└') >= 0) {
                left = l.indexOf('└');
            }
        }
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            int close = l.lastIndexOf('│');
            if (left >= 0 && l.length() > left + 2 && l.charAt(left) == '│' && close > left + 2) {
                out.add(l.substring(left + 2, close));
            }
        }
        return out;
    }

    /** A popup line wider than the box (a translate step at 80 columns) wraps under its label instead of being cut. */
    @Test
    void aPopupLineWiderThanTheBoxWrapsUnderItsLabel() {
        MapModel m = TuiFixtures.model(80, 24, false);
        String text = "found by ioctl(PROCMAP_QUERY) on /proc/PID/maps, one call for the address, instead of"
                + " reading the whole maps file";
        m.translated("translate 0x1000", List.of(new Styled().then("mapping      ", Paint.LABEL, null)
                .then(text, Paint.PLAIN, null)));
        String screen = TuiFixtures.render(m, 80, 24, COLOUR);
        List<String> inside = boxText(screen);
        assertTrue(inside.size() >= 2, screen);
        for (String l : inside) {
            assertFalse(l.contains("…"), "cut: " + l);
        }
        assertTrue(inside.get(0).startsWith("mapping      found by"), screen);
        assertTrue(inside.get(1).startsWith(" ".repeat(13)) && !inside.get(1).isBlank(), "under the label:\n" + screen);
        String joined = String.join(" ", inside).replaceAll("\\s+", " ");
        assertTrue(joined.contains(text), screen);
    }

    @Test
    void aSmallTerminalGetsAClearMessage() {
        MapModel m = TuiFixtures.model(70, 20, false);
        String screen = TuiFixtures.render(m, 70, 20, COLOUR);
        TuiFixtures.assertGolden("too-small-70x20", screen);
        assertTrue(screen.contains("at least 80x24"));
        assertTrue(screen.contains("this one is 70x20"));
    }

    @Test
    void targetNamesAreEscapedAndNoControlCharacterReachesTheScreen() {
        MapModel m = TuiFixtures.model(100, 30, false);
        // The file whose name holds a newline ("new\nline" in the fixture), selected so its detail is drawn too.
        m.key(key('/'));
        for (char c : "line".toCharArray()) {
            m.key(key(c));
        }
        m.key(key(KeyType.Enter));
        String screen = TuiFixtures.render(m, 100, 30, COLOUR);
        assertTrue(screen.contains("new\\nline"), "the newline is shown as \\n");
        for (char c : screen.toCharArray()) {
            assertFalse(c != '\n' && (c < 0x20 || (c >= 0x7f && c < 0xa0)), "control character " + (int) c);
        }
        assertTrue(screen.split("\n")[0].contains("tri (cky) x"), "comm with spaces and parentheses");
    }

    @Test
    void monochromeUsesNoColourAndStillTellsKindsApart() throws IOException {
        MapModel m = TuiFixtures.model(100, 30, false);
        DefaultVirtualTerminal t = new DefaultVirtualTerminal(new TerminalSize(100, 30));
        TerminalScreen s = new TerminalScreen(t);
        s.startScreen();
        MapScreen.draw(m, new Canvas(s.newTextGraphics(), Palette.monochrome(), 100, 30));
        s.refresh();
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 100; x++) {
                TextCharacter c = t.getCharacter(x, y);
                assertEquals(TextColor.ANSI.DEFAULT, c.getForegroundColor(), "colour at " + x + "," + y);
                assertEquals(TextColor.ANSI.DEFAULT, c.getBackgroundColor(), "colour at " + x + "," + y);
            }
        }
        // The column's glyphs differ per family: the kinds drawn there are told apart without colour.
        Set<Character> glyphs = new HashSet<>();
        Set<String> families = new HashSet<>();
        String text = TuiFixtures.text(t);
        for (String line : text.split("\n")) {
            if (line.length() > 2 && line.charAt(0) == line.charAt(1) && Character.isLetter(line.charAt(0))) {
                glyphs.add(line.charAt(0));
            }
        }
        for (Region r : TuiFixtures.tricky().regions()) {
            families.add(String.valueOf(Palette.glyph(r.kind())));
        }
        assertTrue(glyphs.size() >= 4, "several kinds, several glyphs: " + glyphs);
        for (char g : glyphs) {
            assertTrue(families.contains(String.valueOf(g)), "glyph " + g + " belongs to a kind in the snapshot");
        }
        assertEquals(Palette.glyph(RegionKind.HEAP) == Palette.glyph(RegionKind.STACK), false);
    }

    @Test
    void noColorAndDumbTerminalsAreMonochrome() {
        assertFalse(Palette.forMode("auto", java.util.Map.of("NO_COLOR", "1", "TERM", "xterm-256color")).hasColour());
        assertTrue(Palette.forMode("auto", java.util.Map.of("NO_COLOR", "", "TERM", "xterm-256color")).hasColour(),
                "an empty NO_COLOR does not count (no-color.org)");
        assertFalse(Palette.forMode("auto", java.util.Map.of("TERM", "dumb")).hasColour());
        assertFalse(Palette.forMode("auto", java.util.Map.of()).hasColour());
        assertTrue(Palette.forMode("always", java.util.Map.of("TERM", "dumb")).hasColour());
        assertFalse(Palette.forMode("never", java.util.Map.of("TERM", "xterm")).hasColour());
    }
}
