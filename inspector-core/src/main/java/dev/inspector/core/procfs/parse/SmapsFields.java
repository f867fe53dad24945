package dev.inspector.core.procfs.parse;

import dev.inspector.core.MalformedProcFile;
import dev.inspector.core.model.Smaps;
import dev.inspector.core.model.VmFlags;

import dev.inspector.core.model.FieldMap;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The "Key: value" lines shared by smaps and smaps_rollup, accumulated for one record. A value of the form
 * "N kB" goes to {@code bytes} (kB is KiB), VmFlags is decoded, anything else is kept as raw text. Key strings are
 * interned in a small cache that is tried in kernel order first, so a 60,000-record smaps does not allocate a String
 * per key line.
 */
final class SmapsFields {

    private final String file;
    // The fields of the record being parsed, in kernel order; turned into compact FieldMaps by finish().
    private String[] byteKeys = new String[32];
    private Object[] byteValues = new Object[32];
    private int byteCount;
    private String[] textKeys = new String[8];
    private Object[] textValues = new Object[8];
    private int textCount;
    private FieldMap<Long> lastBytes;
    private FieldMap<String> lastValues;
    private VmFlags vmFlags;
    // Few distinct VmFlags lines and unit-less values exist in a process: decode each once.
    private final Map<String, VmFlags> vmFlagsCache = new HashMap<>();
    private final Map<String, String> textCache = new HashMap<>();
    private byte[] lastVmFlagsBytes = new byte[0];
    private VmFlags lastVmFlags;
    /** THPeligible and ProtectionKey are single digits: no string per line for them. */
    private static final String[] DIGITS = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

    private byte[][] keyBytes = new byte[32][];
    private String[] keyStrings = new String[32];
    private int keyCount;
    private int hint;
    /** Bit i set: cached key i was seen in the current record (the key cache holds at most 64 keys). */
    private long seen;

    SmapsFields(String file) {
        this.file = file;
    }

    boolean isEmpty() {
        return byteCount == 0 && textCount == 0 && vmFlags == null;
    }

    /** Builds the record from what was accumulated and starts a new one. */
    Smaps finish() {
        lastBytes = FieldMap.of(byteKeys, byteValues, byteCount, lastBytes);
        lastValues = FieldMap.of(textKeys, textValues, textCount, lastValues);
        Smaps s = new Smaps(lastBytes, lastValues, vmFlags);
        byteCount = 0;
        textCount = 0;
        vmFlags = null;
        seen = 0;
        return s;
    }

    private static boolean contains(String[] keys, int n, String key) {
        for (int i = 0; i < n; i++) {
            if (keys[i].equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** Parses one key line [from, to) (without its newline). */
    void line(byte[] b, int from, int to, int lineNo) {
        int colon = -1;
        for (int k = from; k < to; k++) {
            if (b[k] == ':') {
                colon = k;
                break;
            }
            if (b[k] == ' ' || b[k] == '\t') {
                break;
            }
        }
        if (colon <= from) {
            throw bad(b, from, to, lineNo, "expected \"Key: value\"");
        }
        String key = key(b, from, colon);
        int v = colon + 1;
        while (v < to && (b[v] == ' ' || b[v] == '\t')) {
            v++;
        }
        int e = to;
        while (e > v && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
            e--;
        }
        if ("VmFlags".equals(key)) {
            // Neighbouring mappings mostly have the same flags: compare bytes with the last line before decoding.
            if (lastVmFlags != null && lastVmFlagsBytes.length == e - v && same(b, v, lastVmFlagsBytes)) {
                vmFlags = lastVmFlags;
                return;
            }
            String raw = new String(b, v, e - v, StandardCharsets.US_ASCII);
            lastVmFlagsBytes = Arrays.copyOfRange(b, v, e);
            VmFlags f = vmFlagsCache.get(raw);
            if (f == null) {
                f = VmFlagsDecoder.decode(raw);
                if (vmFlagsCache.size() < 4096) {
                    vmFlagsCache.put(raw, f);
                }
            }
            vmFlags = f;
            lastVmFlags = f;
            return;
        }
        if (e - v >= 3 && b[e - 1] == 'B' && b[e - 2] == 'k' && b[e - 3] == ' ') {
            int de = e - 3;
            while (de > v && b[de - 1] == ' ') {
                de--;
            }
            long kib = decimal(b, v, de, lineNo, from, to);
            long value;
            try {
                value = Math.multiplyExact(kib, 1024L);
            } catch (ArithmeticException ex) {
                throw bad(b, from, to, lineNo, "value too large");
            }
            if (contains(byteKeys, byteCount, key)) {
                throw bad(b, from, to, lineNo, "duplicate key " + key);
            }
            if (byteCount == byteKeys.length) {
                byteKeys = Arrays.copyOf(byteKeys, byteCount * 2);
                byteValues = Arrays.copyOf(byteValues, byteCount * 2);
            }
            byteKeys[byteCount] = key;
            byteValues[byteCount++] = value;
            for (int i = 0; i < keyCount; i++) {
                if (keyStrings[i] == key) {
                    seen |= 1L << i; // so the fast path sees this key as taken too
                }
            }
            return;
        }
        if (contains(textKeys, textCount, key)) {
            throw bad(b, from, to, lineNo, "duplicate key " + key);
        }
        String cached = e - v == 1 && b[v] >= '0' && b[v] <= '9' ? DIGITS[b[v] - '0'] : null;
        String text = cached != null ? cached : new String(b, v, e - v, StandardCharsets.UTF_8);
        if (cached == null) {
            cached = textCache.get(text);
        }
        if (cached == null) {
            cached = text;
            if (textCache.size() < 4096) {
                textCache.put(text, text);
            }
        }
        if (textCount == textKeys.length) {
            textKeys = Arrays.copyOf(textKeys, textCount * 2);
            textValues = Arrays.copyOf(textValues, textCount * 2);
        }
        textKeys[textCount] = key;
        textValues[textCount++] = cached;
    }

    /**
     * Parses a complete "Key: N kB" line at {@code from} in one pass, newline included, and returns the index after
     * its newline; returns -1 (consuming nothing) for any other shape or an incomplete line, which the general path
     * then handles with its error reporting.
     */
    int kbLine(byte[] b, int from, int limit, int lineNo) {
        int k = from;
        while (k < limit) {
            byte c = b[k];
            if (c == ':') {
                break;
            }
            if (c == ' ' || c == '\n' || c == '\t') {
                return -1;
            }
            k++;
        }
        if (k >= limit || k == from) {
            return -1;
        }
        int v = k + 1;
        while (v < limit && b[v] == ' ') {
            v++;
        }
        int d = v;
        long n = 0;
        while (d < limit && d - v < 15) {
            int digit = b[d] - '0';
            if (digit < 0 || digit > 9) {
                break;
            }
            n = n * 10 + digit;
            d++;
        }
        if (d == v || d + 4 > limit || b[d] != ' ' || b[d + 1] != 'k' || b[d + 2] != 'B' || b[d + 3] != '\n') {
            return -1;
        }
        int idx = keyIndex(b, from, k);
        if (idx < 0 || (seen & (1L << idx)) != 0) {
            return -1; // uncached key or a duplicate: the general path handles (and reports) it
        }
        seen |= 1L << idx;
        String key = keyStrings[idx];
        if (byteCount == byteKeys.length) {
            byteKeys = Arrays.copyOf(byteKeys, byteCount * 2);
            byteValues = Arrays.copyOf(byteValues, byteCount * 2);
        }
        byteKeys[byteCount] = key;
        byteValues[byteCount++] = n * 1024L; // at most 15 digits of kB: no overflow (longer ones take the general path)
        return d + 4;
    }

    private long decimal(byte[] b, int from, int to, int lineNo, int lineFrom, int lineTo) {
        if (from >= to || to - from > 18) {
            throw bad(b, lineFrom, lineTo, lineNo, "expected a number of kB");
        }
        long n = 0;
        for (int k = from; k < to; k++) {
            int d = b[k] - '0';
            if (d < 0 || d > 9) {
                throw bad(b, lineFrom, lineTo, lineNo, "expected a number of kB");
            }
            n = n * 10 + d;
        }
        return n;
    }

    private String key(byte[] b, int from, int to) {
        int idx = keyIndex(b, from, to);
        return idx >= 0 ? keyStrings[idx] : new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    /**
     * The index of the key [from, to) in the bounded key cache (adding it when there is room), or -1 when the cache
     * is full. Keys come in the same order in every record, so the one after the last match is tried first.
     */
    private int keyIndex(byte[] b, int from, int to) {
        int len = to - from;
        if (hint < keyCount) {
            byte[] k = keyBytes[hint];
            if (k.length == len && same(b, from, k)) {
                return hint++;
            }
        }
        for (int idx = 0; idx < keyCount; idx++) {
            byte[] k = keyBytes[idx];
            if (k.length == len && same(b, from, k)) {
                hint = idx + 1;
                return idx;
            }
        }
        if (keyCount < keyBytes.length) {
            // Bounded: a file full of distinct garbage keys must not grow the cache without limit.
            byte[] copy = new byte[len];
            System.arraycopy(b, from, copy, 0, len);
            keyBytes[keyCount] = copy;
            // Interned, so lookups with a literal ("Rss") match by identity first (FieldMap.get).
            keyStrings[keyCount] = new String(b, from, len, StandardCharsets.UTF_8).intern();
            hint = keyCount + 1;
            return keyCount++;
        }
        return -1;
    }

    private static boolean same(byte[] b, int from, byte[] k) {
        for (int i = 0; i < k.length; i++) {
            if (b[from + i] != k[i]) {
                return false;
            }
        }
        return true;
    }

    MalformedProcFile bad(byte[] b, int from, int to, int lineNo, String why) {
        return new MalformedProcFile(file, lineNo, new String(b, from, to - from, StandardCharsets.UTF_8), why);
    }

    String file() {
        return file;
    }
}
