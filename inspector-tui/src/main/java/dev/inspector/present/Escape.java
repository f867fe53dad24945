package dev.inspector.present;

/**
 * Makes text that came from another process (file names, comm, cmdline, [anon:...] names) safe to print on a terminal:
 * no control characters, no escape sequences, no bidirectional overrides can reach it. The result is unambiguous:
 * a backslash is doubled, so "\n" in the output always means an escaped newline. The few characters the views use as
 * marks of their own (the cut mark {@code …}, arrows, blocks) are escaped too, so they always mean the mark.
 */
public final class Escape {
    private Escape() {
    }

    public static String forTerminal(String s) {
        if (s == null) {
            return "";
        }
        int n = s.length();
        int i = 0;
        while (i < n && safe(s.charAt(i))) {
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder b = new StringBuilder(n + 16).append(s, 0, i);
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (safe(c)) {
                b.append(c);
                continue;
            }
            switch (c) {
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                default:
                    if (c < 0x100) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(String.format("\\u%04x", (int) c));
                    }
            }
        }
        return b.toString();
    }

    private static boolean safe(char c) {
        if (c >= 0x20 && c < 0x7f) {
            return c != '\\';
        }
        if (c < 0xa0) {
            return false; // C0 controls, DEL, C1 controls (0x9b is a CSI on some terminals)
        }
        // Bidirectional formatting characters can reorder what the user sees; line/paragraph separators break lines.
        if ((c >= 0x200e && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x2028 || c == 0x2029 || c == 0x061c || c == 0xfeff) {
            return false;
        }
        // The glyphs the views draw themselves (the cut mark, arrows, heat-map blocks) are escaped in target text: a
        // name cannot fake a shortened cell, and in an ASCII-only locale each glyph has one meaning (Glyphs).
        if (c == 0x2026 || (c >= 0x2190 && c <= 0x21ff) || (c >= 0x2580 && c <= 0x259f)) {
            return false;
        }
        // Surrogate pairs pass: names are decoded from UTF-8, which never yields a lone surrogate.
        return true;
    }
}
