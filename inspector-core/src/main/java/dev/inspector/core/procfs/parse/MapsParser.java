package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.model.Mapping;
import dev.inspector.core.model.MappingPath;
import dev.inspector.core.model.Perms;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure parser of {@code /proc/PID/maps} text (and of the address lines of smaps). Works on bytes: it splits a line into
 * at most six fields so the pathname keeps every space, and allocates nothing for anonymous lines.
 *
 * <p>The kernel (fs/proc/task_mmu.c, show_vma_header_prefix + seq_pad) writes the fixed fields, one space, then pads
 * with spaces to column 72 and writes one more space before the name, so on a 64-bit kernel the name starts at column
 * {@code max(73, end of prefix + 1)}. Knowing that column is what keeps leading spaces of a file name. A line that was
 * not padded that way (hand-written or normalised) falls back to "the name starts at the first non-space".
 */
public final class MapsParser {

    /** Column (0-based) where the kernel starts the name on a 64-bit kernel: 25 + 6 * sizeof(void *). */
    static final int NAME_COLUMN = 73;
    static final byte[] DELETED = " (deleted)".getBytes(StandardCharsets.US_ASCII);

    private MapsParser() {
    }

    /** Parses a whole maps text. {@code file} names the source in errors. */
    public static List<Mapping> parse(byte[] buf, int len, String file) {
        List<Mapping> out = new ArrayList<>(Math.max(16, len / 40)); // lines are 49+ bytes: no regrowth
        Cursor c = new Cursor(file);
        int lineStart = 0;
        int lineNo = 0;
        while (lineStart < len) {
            lineNo++;
            if (buf[lineStart] == '\n') {
                lineStart++;
                continue;
            }
            // One pass: the fields are parsed up to the inode, then the newline is looked for from there.
            out.add(parseLine(buf, lineStart, len, c, lineNo));
            lineStart = c.lineEnd + 1;
        }
        return out;
    }

    public static List<Mapping> parse(String text, String file) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return parse(b, b.length, file);
    }

    /** Parses one line (without its newline). */
    public static Mapping parseLine(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        if (indexOf(b, (byte) '\n', 0, b.length) >= 0) {
            throw new MalformedProcFile("maps", 1, line, "more than one line");
        }
        return parseLine(b, 0, b.length, new Cursor("maps"), 1);
    }

    /**
     * True when the line at [from, to) looks like a maps/smaps address line ("start-end perms ..."), the way smaps
     * records are found: by their address line, not by guessing from the case of a key.
     */
    public static boolean isAddressLine(byte[] b, int from, int to) {
        int i = from;
        int digits = 0;
        while (i < to && hexValue(b[i]) >= 0) {
            i++;
            digits++;
        }
        if (digits == 0 || digits > 16 || i >= to || b[i] != '-') {
            return false;
        }
        i++;
        int digits2 = 0;
        while (i < to && hexValue(b[i]) >= 0) {
            i++;
            digits2++;
        }
        return digits2 > 0 && digits2 <= 16 && i + 5 <= to && b[i] == ' ' && isPerm(b, i + 1);
    }

    private static boolean isPerm(byte[] b, int i) {
        return (b[i] == 'r' || b[i] == '-') && (b[i + 1] == 'w' || b[i + 1] == '-')
                && (b[i + 2] == 'x' || b[i + 2] == '-') && (b[i + 3] == 's' || b[i + 3] == 'p');
    }

    /** Reusable state: the error context and a one-entry cache of the last file name (consecutive lines share it). */
    static final class Cursor {
        final String file;
        byte[] lastNameBytes = new byte[0];
        int lastNameLen = -1;
        MappingPath lastPath;
        /** Set by hexRun: the index just after the digits it read. */
        int pos;
        /** Set by parseLine: the index of the newline ending the line just parsed (or the limit). */
        int lineEnd;

        Cursor(String file) {
            this.file = file;
        }
    }

    /**
     * Parses the line starting at {@code from}; {@code limit} is the end of the text (the line ends at the first
     * newline before it). Sets {@code c.lineEnd}.
     */
    static Mapping parseLine(byte[] b, int from, int limit, Cursor c, int lineNo) {
        int to = limit; // narrowed to the line's end once the fixed fields are parsed
        // Each hex field is one run of digits (hexRun leaves its end in c.pos), then its delimiter is checked.
        long start = hexRun(b, from, to, c);
        int i = c.pos;
        if (i - from > 16 || i < to && b[i] != '-') {
            throw bad(c, lineNo, b, from, to, "bad start address");
        }
        if (i == from || i >= to || b[i] != '-') {
            throw bad(c, lineNo, b, from, to, "expected start-end");
        }
        int s = ++i;
        long end = hexRun(b, s, to, c);
        i = c.pos;
        if (i - s > 16 || i < to && b[i] != ' ') {
            throw bad(c, lineNo, b, from, to, "bad end address");
        }
        if (i == s || i >= to) {
            throw bad(c, lineNo, b, from, to, "expected perms after the address range");
        }
        if (Long.compareUnsigned(end, start) < 0) {
            throw bad(c, lineNo, b, from, to, "end address below start address");
        }
        i++;
        if (i + 4 > to || !isPerm(b, i)) {
            throw bad(c, lineNo, b, from, to, "bad permission field");
        }
        Perms perms = Perms.of(b[i] == 'r', b[i + 1] == 'w', b[i + 2] == 'x', b[i + 3] == 's');
        i += 4;
        s = i = expectSpace(b, i, to, c, lineNo, from, "offset");
        long offset = hexRun(b, s, to, c);
        i = c.pos;
        if (i - s > 16 || i < to && b[i] != ' ') {
            throw bad(c, lineNo, b, from, to, "bad offset");
        }
        if (i == s) {
            throw bad(c, lineNo, b, from, to, "missing offset");
        }
        s = i = expectSpace(b, i, to, c, lineNo, from, "device");
        long major = hexRun(b, s, to, c);
        i = c.pos;
        if (i - s > 8 || i < to && b[i] != ':') {
            throw bad(c, lineNo, b, from, to, "bad device major");
        }
        if (i == s || i >= to || b[i] != ':') {
            throw bad(c, lineNo, b, from, to, "bad device field");
        }
        s = ++i;
        long minor = hexRun(b, s, to, c);
        i = c.pos;
        if (i == s || i - s > 8 || i < to && b[i] != ' ') {
            throw bad(c, lineNo, b, from, to, "bad device minor");
        }
        i = expectSpace(b, i, to, c, lineNo, from, "inode");
        s = i;
        long inode = 0;
        for (; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            inode = inode * 10 + d;
        }
        if (i - s > 20 || i < to && b[i] != ' ' && b[i] != '\n') {
            throw bad(c, lineNo, b, from, to, "bad inode");
        }
        if (i == s) {
            throw bad(c, lineNo, b, from, to, "missing inode");
        }
        int nl = indexOf(b, (byte) '\n', i, limit);
        to = nl < 0 ? limit : nl;
        c.lineEnd = to;
        // i is at the space after the inode, or at the end of the line.
        int prefixEnd = i + 1; // index after the kernel's trailing space
        MappingPath path;
        if (prefixEnd >= to) {
            path = MappingPath.ANONYMOUS;
        } else {
            int nameStart = Math.max(NAME_COLUMN, prefixEnd - from + 1) + from;
            boolean kernelPadded = nameStart < to && allSpaces(b, i, nameStart);
            if (!kernelPadded) {
                nameStart = i;
                while (nameStart < to && b[nameStart] == ' ') {
                    nameStart++;
                }
            }
            path = nameStart >= to ? MappingPath.ANONYMOUS : decodeName(b, nameStart, to, c);
        }
        return new Mapping(start, end, perms, offset, (int) major, (int) minor, inode, path);
    }

    private static MappingPath decodeName(byte[] b, int from, int to, Cursor c) {
        int len = to - from;
        if (c.lastPath != null && len == c.lastNameLen && regionEquals(b, from, c.lastNameBytes, len)) {
            return c.lastPath;
        }
        MappingPath p = decodeNameUncached(b, from, to);
        if (c.lastNameBytes.length < len) {
            c.lastNameBytes = new byte[Math.max(len, 2 * c.lastNameBytes.length)];
        }
        System.arraycopy(b, from, c.lastNameBytes, 0, len);
        c.lastNameLen = len;
        c.lastPath = p;
        return p;
    }

    static MappingPath decodeNameUncached(byte[] b, int from, int to) {
        if (b[from] == '[' && b[to - 1] == ']') {
            String inner = new String(b, from + 1, to - from - 2, StandardCharsets.UTF_8);
            return MappingPath.bracketed(inner);
        }
        boolean deleted = endsWith(b, from, to, DELETED);
        int nameEnd = deleted ? to - DELETED.length : to;
        byte[] name = unescape(b, from, nameEnd);
        String text = new String(name, StandardCharsets.UTF_8);
        return new MappingPath(MappingPath.Type.FILE, text, deleted, validUtf8(name) ? null : hex(name));
    }

    /**
     * The name's bytes with the kernel's one escape undone: seq_file_path() writes a newline as the octal
     * {@code \012} and leaves every other byte as it is (so a name holding those four characters reads the same:
     * Target tells them apart on the live system).
     */
    static byte[] unescape(byte[] b, int from, int to) {
        int n = to - from;
        byte[] out = null;
        int o = 0;
        for (int i = from; i < to; i++) {
            if (b[i] == '\\' && i + 3 < to && b[i + 1] == '0' && b[i + 2] == '1' && b[i + 3] == '2') {
                if (out == null) {
                    out = new byte[n];
                    System.arraycopy(b, from, out, 0, i - from);
                    o = i - from;
                }
                out[o++] = '\n';
                i += 3;
            } else if (out != null) {
                out[o++] = b[i];
            }
        }
        return out == null ? java.util.Arrays.copyOfRange(b, from, to) : java.util.Arrays.copyOf(out, o);
    }

    /** Strict UTF-8 (no overlong forms, no surrogates), as the JDK's decoder checks it. */
    static boolean validUtf8(byte[] name) {
        for (byte x : name) {
            if (x < 0) {
                try {
                    StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(name));
                    return true;
                } catch (java.nio.charset.CharacterCodingException e) {
                    return false;
                }
            }
        }
        return true; // ASCII, the common case, without a decoder
    }

    static String hex(byte[] b) {
        char[] digits = "0123456789abcdef".toCharArray();
        char[] out = new char[2 * b.length];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = digits[(b[i] >> 4) & 0xf];
            out[2 * i + 1] = digits[b[i] & 0xf];
        }
        return new String(out);
    }

    private static boolean endsWith(byte[] b, int from, int to, byte[] suffix) {
        if (to - from < suffix.length) {
            return false;
        }
        return regionEquals(b, to - suffix.length, suffix, suffix.length);
    }

    private static boolean regionEquals(byte[] b, int from, byte[] other, int len) {
        for (int k = 0; k < len; k++) {
            if (b[from + k] != other[k]) {
                return false;
            }
        }
        return true;
    }

    private static boolean allSpaces(byte[] b, int from, int to) {
        for (int k = from; k < to; k++) {
            if (b[k] != ' ') {
                return false;
            }
        }
        return true;
    }

    private static int expectSpace(byte[] b, int i, int to, Cursor c, int lineNo, int from, String next) {
        if (i >= to || b[i] != ' ') {
            throw bad(c, lineNo, b, from, to, "expected a space before the " + next);
        }
        return i + 1;
    }

    /** The value of each byte as a hex digit, -1 for a byte that is not one: one load instead of three ranges. */
    private static final byte[] HEX_VALUE = new byte[256];

    static {
        java.util.Arrays.fill(HEX_VALUE, (byte) -1);
        for (int d = 0; d < 10; d++) {
            HEX_VALUE['0' + d] = (byte) d;
        }
        for (int d = 0; d < 6; d++) {
            HEX_VALUE['a' + d] = (byte) (10 + d);
            HEX_VALUE['A' + d] = (byte) (10 + d);
        }
    }

    /** The value of the hex digits from {@code i} up to the first other byte (or {@code to}), which goes to c.pos. */
    private static long hexRun(byte[] b, int i, int to, Cursor c) {
        long v = 0;
        for (; i < to; i++) {
            int h = HEX_VALUE[b[i] & 0xff];
            if (h < 0) {
                break;
            }
            v = (v << 4) | h;
        }
        c.pos = i;
        return v;
    }

    static int hexValue(byte ch) {
        return HEX_VALUE[ch & 0xff];
    }

    static int indexOf(byte[] b, byte v, int from, int to) {
        for (int k = from; k < to; k++) {
            if (b[k] == v) {
                return k;
            }
        }
        return -1;
    }

    /** The error for the line starting at {@code from} ({@code to} may be the end of the text: cut at the newline). */
    private static MalformedProcFile bad(Cursor c, int lineNo, byte[] b, int from, int to, String why) {
        int nl = indexOf(b, (byte) '\n', from, to);
        int end = nl < 0 ? to : nl;
        return new MalformedProcFile(c.file, lineNo, new String(b, from, end - from, StandardCharsets.UTF_8), why);
    }
}
