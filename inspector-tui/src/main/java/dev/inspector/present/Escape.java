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

    /**
     * Bytes from another process (a file name that is not valid UTF-8) made safe like {@link #forTerminal}: valid
     * UTF-8 sequences are decoded and escaped as text, every other byte is written {@code \xNN}, so the exact bytes
     * can be read back from what is shown (a backslash is doubled, as always).
     */
    public static String bytes(byte[] b) {
        StringBuilder out = new StringBuilder(b.length + 16);
        java.nio.charset.CharsetDecoder d = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(b);
        java.nio.CharBuffer chars = java.nio.CharBuffer.allocate(Math.max(16, b.length));
        while (in.hasRemaining()) {
            chars.clear();
            java.nio.charset.CoderResult r = d.decode(in, chars, true);
            chars.flip();
            out.append(forTerminal(chars.toString()));
            if (r.isError()) {
                for (int i = 0; i < r.length(); i++) {
                    out.append(String.format("\\x%02x", in.get() & 0xff));
                }
            } else if (r.isUnderflow()) {
                break;
            }
        }
        return out.toString();
    }

    /**
     * The last line of defence for a line that is already meant to be read (an error message): every control
     * character, escape sequence start, bidirectional override and line separator is written as {@code \xNN} or a
     * backslash-u escape, but backslashes are left as they are, so text escaped where it was quoted stays readable.
     * Not unambiguous like {@link #forTerminal}; it only guarantees that nothing reaches the terminal as a control.
     */
    public static String controls(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c == '\\' || safe(c);
            if (!ok && b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (b != null) {
                if (ok) {
                    b.append(c);
                } else if (c == '\n') {
                    b.append("\\n");
                } else if (c < 0x100) {
                    b.append(String.format("\\x%02x", (int) c));
                } else {
                    b.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        return b == null ? s : b.toString();
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
