package dev.inspector.core.procfs.parse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Parser of {@code /proc/kallsyms} ("ADDRESS TYPE NAME[\t[module]]" per line), for the one symbol the inspector needs:
 * {@code _text}, the start of the kernel image. The file is ~10 MB; {@code _text} comes in its first lines (symbols are
 * sorted by address, after the per-CPU ones at 0), so a stream is read only until it is found.
 */
public final class KallsymsParser {

    private static final byte[] TEXT = "_text".getBytes(StandardCharsets.US_ASCII);

    private KallsymsParser() {
    }

    /**
     * Reads until the {@code _text} symbol and stores its address in {@code out[0]} (0 when kptr_restrict hides
     * addresses from this reader); returns false when the stream ends first.
     */
    public static boolean findText(InputStream in, long[] out) throws IOException {
        byte[] buf = new byte[64 * 1024];
        byte[] line = new byte[512];
        int lineLen = 0;
        boolean overlong = false;
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b == '\n') {
                    if (!overlong && isTextLine(line, lineLen, out)) {
                        return true;
                    }
                    lineLen = 0;
                    overlong = false;
                } else if (lineLen < line.length) {
                    line[lineLen++] = b;
                } else {
                    overlong = true; // symbol names are short; such a line cannot be "_text"
                }
            }
        }
        return !overlong && lineLen > 0 && isTextLine(line, lineLen, out);
    }

    private static boolean isTextLine(byte[] b, int len, long[] out) {
        int sp1 = MapsParser.indexOf(b, (byte) ' ', 0, len);
        if (sp1 <= 0 || sp1 > 16 || sp1 + 3 > len || b[sp1 + 2] != ' ') {
            return false;
        }
        int nameStart = sp1 + 3;
        // A tab starts a "[module]" suffix: a module's symbol, never the kernel image's _text.
        if (len - nameStart != TEXT.length) {
            return false;
        }
        for (int k = 0; k < TEXT.length; k++) {
            if (b[nameStart + k] != TEXT[k]) {
                return false;
            }
        }
        long v = 0;
        for (int k = 0; k < sp1; k++) {
            int h = Character.digit(b[k], 16);
            if (h < 0) {
                return false;
            }
            v = (v << 4) | h;
        }
        out[0] = v;
        return true;
    }
}
