package dev.inspector.tui;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wrapping the demo's step lines for the pane: no line wider than the pane, no word lost, continuations indented. */
class StyledWrapTest {

    @Test
    void wrappedLinesFitKeepEveryWordAndIndentUnderTheLabel() {
        Styled line = new Styled("  claim     ", Paint.LABEL, null)
                .then("an address may be backed by RAM, by a file, or by nothing [C32, 000_7989507611a1a362.txt,"
                        + " 002_4fc70062cd8b623a.txt] and a_word_longer_than_any_pane_could_ever_hold_in_one_line_at_all",
                        Paint.PLAIN, null);
        for (int width : new int[] {20, 37, 55, 76}) {
            List<Styled> out = Styled.wrap(List.of(line), width);
            assertTrue(out.size() > 1, "wrapped at " + width);
            StringBuilder words = new StringBuilder();
            for (int i = 0; i < out.size(); i++) {
                String t = out.get(i).text();
                assertTrue(Canvas.width(t) <= width, "line " + i + " fits in " + width + ": '" + t + "'");
                assertEquals(t.stripTrailing(), t, "no trailing spaces: '" + t + "'");
                if (i > 0 && width >= 24) {
                    assertTrue(t.startsWith(" ".repeat(12)), "continuations under the text, not the label: '" + t + "'");
                }
                words.append(t.strip()).append(' ');
            }
            // Every word is there, in order (the long word may be cut across lines).
            String joined = words.toString().replaceAll("\\s+", "");
            assertEquals(line.text().replaceAll("\\s+", ""), joined, "at " + width);
        }
        Styled shortLine = new Styled("fits", Paint.PLAIN, null);
        assertEquals(List.of(shortLine), Styled.wrap(List.of(shortLine), 10));
    }
}
