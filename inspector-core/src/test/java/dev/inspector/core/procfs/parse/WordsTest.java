package dev.inspector.core.procfs.parse;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class WordsTest {

    @Test
    void splitsAtRunsOfSpacesAndTabsLikeTheWhitespaceRegex() {
        String[] samples = {"", "   ", "a", " a", "a ", "Uid:\t0\t0\t0\t0", "Max stack size     8388608   unlimited  bytes",
            "  lead and  trail\t ", "x\t\ty"};
        for (String s : samples) {
            String stripped = s.strip();
            String[] viaRegex = stripped.isEmpty() ? new String[0] : stripped.split("[ \t]+");
            assertArrayEquals(viaRegex, Words.of(s), "'" + s + "'");
        }
    }

    @Test
    void keepsOtherCharactersInsideWords() {
        assertArrayEquals(new String[] {"a\nb", "c:d"}, Words.of(" a\nb c:d"));
    }
}
