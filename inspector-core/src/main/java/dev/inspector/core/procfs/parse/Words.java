package dev.inspector.core.procfs.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into words at runs of spaces and tabs, without a regular expression: compiling one at start-up spins
 * method-handle classes (several milliseconds of a 100 ms command), and /proc's columns need nothing more.
 */
public final class Words {

    private Words() {
    }

    /** The words of {@code s}: maximal runs of characters other than space and tab (none for blank text). */
    public static String[] of(String s) {
        List<String> words = new ArrayList<>(8);
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && isBlank(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isBlank(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                words.add(s.substring(start, i));
            }
        }
        return words.toArray(new String[0]);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
