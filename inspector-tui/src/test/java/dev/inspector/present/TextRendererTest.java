package dev.inspector.present;

import dev.inspector.core.model.RegionKind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextRendererTest {

    static String render(TextRenderer r, List<? extends Block> blocks) {
        StringWriter w = new StringWriter();
        r.render(blocks, new PrintWriter(w));
        return w.toString();
    }

    static final List<Column> COLS = List.of(Column.left("START"), Column.right("SIZE"), Column.left("NAME"));

    @Test
    void alignsColumnsTwoSpacesApartAndLeavesTheLastColumnUnpadded() {
        Table t = new ListTable(COLS, List.of(Row.of("7f00", "4K", "a b "), Row.of("ffffffffff600000", "132K",
                "[vsyscall]")));
        assertEquals("START             SIZE  NAME\n"
                + "7f00                4K  a b \n"
                + "ffffffffff600000  132K  [vsyscall]\n", render(new TextRenderer(Style.plain()), List.of(t)));
    }

    @Test
    void aShortRowEndsAfterItsLastCellAndARightAlignedLastColumnStaysAligned() {
        Table t = new ListTable(List.of(Column.left("KIND"), Column.left("NAME")),
                List.of(Row.of("heap", "[heap]"), Row.of("anonymous")));
        assertEquals("KIND       NAME\nheap       [heap]\nanonymous\n",
                render(new TextRenderer(Style.plain()), List.of(t)));
        Table shift = new ListTable(List.of(Column.left("MODULE"), Column.right("SHIFT")),
                List.of(Row.of("libc.so.6", "+0x0"), Row.of("ld.so", "+0x21000")));
        assertEquals("MODULE        SHIFT\nlibc.so.6      +0x0\nld.so      +0x21000\n",
                render(new TextRenderer(Style.plain()), List.of(shift)));
    }

    @Test
    void linesAreTheirSpansInOrder() {
        String text = render(new TextRenderer(Style.plain()), List.of(Line.of(Span.of(Role.LABEL, "address "),
                Span.plain(" 0x1000")), Line.blank(), Line.of(Role.TOTAL, "total: 3")));
        assertEquals("address  0x1000\n\ntotal: 3\n", text);
    }

    // ---- fitting a width ----------------------------------------------------------------------------------------

    static final List<Column> FIT = List.of(Column.left("START"), Column.right("SIZE"),
            Column.left("KIND").shrinks(1, 6), Column.left("NAME").shrinks(2, 6));

    static Table fitTable() {
        return new ListTable(FIT, List.of(
                Row.of("7f0000000000", "4K", "thread-stack tid=12345", "/usr/lib/x86_64-linux-gnu/libc.so.6"),
                Row.of("7f0000001000", "132K", "heap", "[heap]")));
    }

    @Test
    void withoutAWidthNothingIsCut() {
        String text = render(new TextRenderer(Style.plain()), List.of(fitTable()));
        assertTrue(text.contains("thread-stack tid=12345  /usr/lib/x86_64-linux-gnu/libc.so.6\n"), text);
        assertFalse(text.contains(String.valueOf(TextRenderer.CUT)), text);
    }

    @Test
    void theLeastImportantColumnGivesWayFirstWithAVisibleMark() {
        // natural width: 12 + 2 + 4 + 2 + 22 + 2 + 35 = 79; at 60 only NAME (priority 2) shrinks, to 35 - 19 = 16
        String text = render(new TextRenderer(Style.plain(), 60), List.of(fitTable()));
        List<String> lines = text.lines().toList();
        assertEquals("7f0000000000    4K  thread-stack tid=12345  /usr/lib/x86_64\u2026", lines.get(1));
        assertEquals("7f0000001000  132K  heap                    [heap]", lines.get(2));
        for (String l : lines) {
            assertTrue(l.length() <= 60, l);
        }
    }

    @Test
    void whenTheLeastImportantColumnIsAtItsMinimumTheNextOneShrinks() {
        // NAME goes down to 6, then KIND (priority 1) takes the rest: 12 + 2 + 4 + 2 + k + 2 + 6 = 40 -> k = 12
        String text = render(new TextRenderer(Style.plain(), 40), List.of(fitTable()));
        List<String> lines = text.lines().toList();
        assertEquals("START         SIZE  KIND          NAME", lines.get(0));
        assertEquals("7f0000000000    4K  thread-stac\u2026  /usr/\u2026", lines.get(1));
        assertEquals("7f0000001000  132K  heap          [heap]", lines.get(2));
        assertTrue(lines.stream().allMatch(l -> l.length() <= 40), text);
    }

    @Test
    void columnsThatNeverShrinkOverflowRatherThanLie() {
        // 20 columns: every shrinkable column at its minimum, addresses and sizes stay whole
        String text = render(new TextRenderer(Style.plain(), 20), List.of(fitTable()));
        String row = text.lines().toList().get(1);
        assertTrue(row.startsWith("7f0000000000    4K  threa\u2026  /usr/\u2026"), row);
        assertEquals(12 + 2 + 4 + 2 + 6 + 2 + 6, row.length(), row);
    }

    @Test
    void aCutNeverSplitsACharacterInTwo() {
        String name = "ab\uD83D\uDE00cdefgh"; // a surrogate pair at positions 2-3
        Table t = new ListTable(List.of(Column.left("N"), Column.left("NAME").shrinks(1, 4)),
                List.of(Row.of("1", name)));
        String text = render(new TextRenderer(Style.plain(), 7), List.of(t));
        String row = text.lines().toList().get(1);
        // NAME gets 4 columns: 3 characters and the mark would end inside the pair, so only "ab" is kept
        assertEquals("1  ab\u2026", row);
        assertTrue(TextRenderer.fit(t.columns(), t.widths(), 7)[1] == 4);
    }

    @Test
    void aPathIsCutFromItsStartAtADirectoryAndAHiddenColumnIsNamedOnce() {
        List<Column> cols = List.of(Column.left("START"), Column.left("END").hides(3), Column.right("SIZE"),
                Column.left("NAME").shrinksFromStart(2, 8));
        Table t = new ListTable(cols, List.of(Row.of("7f0000000000", "7f0000001000", "4K",
                "/usr/lib/x86_64-linux-gnu/libc.so.6"), Row.of("7f0000001000", "7f0000022000", "132K", "[heap]")));
        List<String> lines = render(new TextRenderer(Style.plain(), 40), List.of(t, t)).lines().toList();
        // END goes first (12 + 2 saved), then NAME is cut from its start at a '/', keeping the file name
        assertEquals("START         SIZE  NAME", lines.get(0));
        assertEquals("7f0000000000    4K  \u2026/libc.so.6", lines.get(1));
        assertEquals("7f0000001000  132K  [heap]", lines.get(2));
        // two tables left END out: the note at the end names it once, with the width and the way to see everything
        assertEquals("(END is not shown to fit 40 columns;", lines.get(lines.size() - 2)); // wrapped like any line
        assertEquals("--wide shows every column)", lines.get(lines.size() - 1));
        assertEquals(8, lines.size());
        // whole, nothing is left out and no note is written
        String whole = render(new TextRenderer(Style.plain()), List.of(t));
        assertTrue(whole.startsWith("START         END           SIZE  NAME\n"), whole);
        assertFalse(whole.contains("not shown"), whole);
    }

    @Test
    void aCutEndsAtAWordOrListBoundaryWhenOneIsNear() {
        Table t = new ListTable(List.of(Column.left("KIND").shrinks(1, 6)),
                List.of(Row.of("text .init,.plt,.plt.got,.text"), Row.of("elf-header .interp")));
        List<String> lines = render(new TextRenderer(Style.plain(), 13), List.of(t)).lines().toList();
        assertEquals("text .init,\u2026", lines.get(1));
        assertEquals("elf-header\u2026", lines.get(2));
    }

    @Test
    void aLongLineIsWrappedAtSpacesWithItsHangingIndent() {
        Line l = Line.of(Span.of(Role.LABEL, "note      "), Span.plain("permissions belong to a VMA, so the kernel"
                + " splits it at the page's edges")).hanging(10);
        String plain = render(new TextRenderer(Style.plain(), 40), List.of(l));
        assertEquals("note      permissions belong to a VMA,\n"
                + "          so the kernel splits it at the\n"
                + "          page's edges\n", plain);
        // in colour each piece keeps its role; without a width the line is whole
        String ansi = render(new TextRenderer(Style.ansi(), 40), List.of(l));
        assertTrue(ansi.startsWith("\u001b[1mnote      \u001b[0mpermissions"), ansi);
        assertEquals(1, render(new TextRenderer(Style.plain()), List.of(l)).lines().count());
        // a word longer than the line is broken, not lost
        String word = render(new TextRenderer(Style.plain(), 20), List.of(Line.of("x".repeat(45))));
        assertEquals("x".repeat(20) + "\n" + "x".repeat(20) + "\n" + "x".repeat(5) + "\n", word);
    }

    @Test
    void anAsciiLocaleGetsAsciiGlyphsAndEscapesAndTheLongerMarkStillFits() {
        Table t = new ListTable(List.of(Column.left("CHANGE"), Column.right("SIZE"), Column.left("NAME").shrinks(1, 8)),
                List.of(Row.of("grew-up", "+4K \u2191", "r--p\u2192rw-p /tmp/caf\u00e9 and more")));
        Style ascii = Style.plain().ascii(true);
        String whole = render(new TextRenderer(ascii), List.of(t, Line.of("a \u2192 b \u2026 \u2588\u2592")));
        assertTrue(whole.contains("+4K ^  r--p->rw-p /tmp/caf\\u00e9 and more\n"), whole);
        assertTrue(whole.endsWith("a -> b ... #+\n"), whole);
        assertTrue(whole.chars().allMatch(c -> c < 0x80), whole);
        List<String> fitted = render(new TextRenderer(ascii, 30), List.of(t)).lines().toList();
        assertTrue(fitted.get(1).endsWith("..."), fitted.get(1));
        assertTrue(fitted.stream().allMatch(l -> l.length() <= 30 && l.chars().allMatch(c -> c < 0x80)), fitted.toString());
        // the columns still line up: the header and the row have NAME at the same place
        assertEquals(fitted.get(0).indexOf("NAME"), fitted.get(1).indexOf("r--p"));
    }

    // ---- roles and colour ---------------------------------------------------------------------------------------

    @Test
    void rolesBecomeAnsiOnlyWithColourOn() {
        List<Block> blocks = List.of(new ListTable(COLS, List.of(Row.kind(RegionKind.TEXT, "7f00", "4K", "libc"),
                Row.kind(RegionKind.ANONYMOUS, "7f01", "8K", ""), Row.of(Role.ADDED, "7f02", "4K", "new"),
                Row.of(Role.TOTAL, "", "16K", ""))), Line.of(Span.of(Role.LABEL, "frame"), Span.plain(" PFN")));
        String plain = render(new TextRenderer(Style.plain()), blocks);
        assertFalse(plain.contains("\u001b"), plain);
        String ansi = render(new TextRenderer(Style.ansi()), blocks);
        List<String> lines = ansi.lines().toList();
        assertEquals("\u001b[1mSTART  SIZE  NAME\u001b[0m", lines.get(0));
        assertEquals("\u001b[34m7f00     4K  libc\u001b[0m", lines.get(1)); // text: blue, the whole row
        assertEquals("7f01     8K", lines.get(2)); // plain anonymous memory has no colour, an empty last cell no padding
        assertEquals("\u001b[32m7f02     4K  new\u001b[0m", lines.get(3));
        assertEquals("\u001b[1m        16K\u001b[0m", lines.get(4));
        assertEquals("\u001b[1mframe\u001b[0m PFN", lines.get(5));
        // and the text under the colour is the plain text
        assertEquals(plain, ansi.replaceAll("\u001b\\[[0-9;]*m", ""));
    }

    @Test
    void everyRoleHasADecidedLookAndDiffRolesKeepTheirColours() {
        assertEquals(Style.GREEN, Style.code(Role.ADDED, null));
        assertEquals(Style.RED, Style.code(Role.REMOVED, null));
        for (Role r : List.of(Role.GROWN, Role.SHRUNK, Role.CHANGED)) {
            assertEquals(Style.YELLOW, Style.code(r, null), r.name());
        }
        assertEquals(null, Style.code(Role.PLAIN, null));
        assertEquals(Style.MAGENTA, Style.code(Role.KIND, RegionKind.THREAD_STACK));
        assertEquals(null, Style.code(Role.KIND, RegionKind.ANONYMOUS));
    }

    @Test
    void targetTextReachesTheTerminalEscapedEvenInColour() {
        // A file name from the target with a clear-screen sequence and a newline, through the presenter's escaping
        String hostile = "/tmp/evil\u001b[2J\nline\u202e";
        Table t = new ListTable(COLS, List.of(Row.kind(RegionKind.FILE, "7f00", "4K", Escape.forTerminal(hostile))));
        String ansi = render(new TextRenderer(Style.ansi()), List.of(t));
        assertEquals(2, ansi.lines().count(), ansi);
        assertTrue(ansi.contains("/tmp/evil\\x1b[2J\\nline\\u202e"), ansi);
        // the only escape characters are the renderer's own SGR sequences
        assertFalse(ansi.replaceAll("\u001b\\[[0-9;]*m", "").contains("\u001b"), ansi);
    }

    // ---- a reader that goes away --------------------------------------------------------------------------------

    /** A table of a million rows that counts how many it was asked to make. */
    static final class Counting implements Table {
        int made;

        @Override
        public List<Column> columns() {
            return COLS;
        }

        @Override
        public int size() {
            return 1_000_000;
        }

        @Override
        public int[] widths() {
            return new int[] {12, 4, 10};
        }

        @Override
        public void row(int i, RowBuffer into) {
            made++;
            into.clear().hex(0x7f0000000000L + 4096L * i, 12).cell("4K").cell("anonymous");
        }
    }

    /** Like a pipe whose reader exited after reading {@code limit} bytes: every later write fails. */
    static OutputStream closesAfter(int limit) {
        return new OutputStream() {
            private int written;

            @Override
            public void write(int b) throws IOException {
                if (++written > limit) {
                    throw new IOException("Broken pipe");
                }
            }
        };
    }

    @Test
    void stopsMakingRowsSoonAfterTheFirstFailedWriteAndSaysSo() {
        Counting t = new Counting();
        PrintWriter out = new PrintWriter(closesAfter(10_000));
        assertThrows(OutputFailed.class, () -> new TextRenderer(Style.plain()).render(List.of(t), out));
        // 10,000 bytes are about 300 rows; the failure is seen at the next check
        assertTrue(t.made <= 2 * TextRenderer.CHECK_EVERY, "made " + t.made + " rows for a closed pipe");
    }

    @Test
    void aFailureInTheLastRowsOrALineIsReportedToo() {
        Table small = new ListTable(COLS, List.of(Row.of("7f00", "4K", "x")));
        assertThrows(OutputFailed.class, () -> new TextRenderer(Style.plain())
                .render(List.of(small), new PrintWriter(closesAfter(0))));
        assertThrows(OutputFailed.class, () -> new TextRenderer(Style.plain())
                .render(Line.of("total"), new PrintWriter(closesAfter(3))));
    }

    @Test
    void manyLinesStopAtTheFirstCheckAfterTheFailureToo() {
        // lines made as they are asked for, like rows: a closed pipe stops the asking
        int[] made = {0};
        List<Block> lines = new java.util.AbstractList<>() {
            @Override
            public Block get(int i) {
                made[0]++;
                return Line.of("note " + i);
            }

            @Override
            public int size() {
                return 1_000_000;
            }
        };
        assertThrows(OutputFailed.class, () -> new TextRenderer(Style.plain())
                .render(lines, new PrintWriter(closesAfter(1000))));
        assertTrue(made[0] <= 2 * TextRenderer.CHECK_EVERY, "made " + made[0] + " lines for a closed pipe");
    }

    @Test
    void aWorkingWriterGetsEveryRow() {
        Counting t = new Counting();
        StringWriter w = new StringWriter();
        new TextRenderer(Style.plain()).render(List.of(t), new PrintWriter(w));
        assertEquals(t.size(), t.made);
        assertEquals(t.size() + 1, w.toString().lines().count());
    }
}
