package dev.inspector.present;

import java.util.Locale;
import java.util.Map;

/**
 * The characters the views draw beyond ASCII (the cut mark, arrows, heat-map blocks) and what they become where the
 * locale is not UTF-8 (LANG=C, LC_ALL=POSIX, or no locale at all): there the renderer writes only ASCII.
 */
public final class Glyphs {

    /** The cut mark of a shortened cell in an ASCII-only locale. */
    public static final String CUT_ASCII = "...";

    private Glyphs() {
    }

    /**
     * Whether the locale's character set is UTF-8, decided as the C library does from the environment: the first of
     * LC_ALL, LC_CTYPE and LANG that is set and not empty names the locale; "C", "POSIX" and no locale at all are
     * ASCII. A name that mentions UTF-8 (any case, with or without the dash) is UTF-8.
     */
    public static boolean utf8(Map<String, String> env) {
        for (String name : new String[] {"LC_ALL", "LC_CTYPE", "LANG"}) {
            String v = env.get(name);
            if (v != null && !v.isEmpty()) {
                String u = v.toLowerCase(Locale.ROOT);
                return u.contains("utf-8") || u.contains("utf8");
            }
        }
        return false;
    }

    /** The ASCII form of one of the views' glyphs, or null for any other character. */
    static String ascii(char c) {
        switch (c) {
            case '\u2026': // … the cut mark
                return CUT_ASCII;
            case '\u2192': // →
                return "->";
            case '\u2190': // ←
                return "<-";
            case '\u2191': // ↑
                return "^";
            case '\u2193': // ↓
                return "v";
            case '\u2195': // ↕
                return "^v";
            case '\u2588': // █ heat map: all present (as --ascii draws it)
                return "#";
            case '\u2592': // ▒ heat map: more than 2/3
                return "+";
            case '\u2014': // —
            case '\u2013': // –
                return "-";
            case '\u00d7': // ×
                return "x";
            default:
                return null;
        }
    }

    /**
     * The text with only ASCII characters: the views' glyphs in their ASCII forms, any other character escaped as
     * {@code \\uXXXX} (as {@link Escape} writes what it escapes: target text has been through it, so a backslash there
     * is already doubled and the result stays unambiguous).
     */
    public static String toAscii(String s) {
        int n = s.length();
        int i = 0;
        while (i < n && s.charAt(i) < 0x80) {
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder b = new StringBuilder(n + 16).append(s, 0, i);
        for (; i < n; i++) {
            append(s.charAt(i), b);
        }
        return b.toString();
    }

    static void append(char c, StringBuilder b) {
        if (c < 0x80) {
            b.append(c);
            return;
        }
        String g = ascii(c);
        if (g != null) {
            b.append(g);
        } else {
            b.append(String.format("\\u%04x", (int) c));
        }
    }
}
